using Ledger.Domain.Common;

namespace Ledger.Api.Security;

public static class EncryptorOf
{
    /// <summary>The field protector as the Domain's decisions use it: encrypt when a key is configured, and the key's setting by name.</summary>
    public static Encryptor AsEncryptor(this FieldProtector protector) =>
        new(FieldProtector.ConfigurationKey, protector.Enabled ? protector.Protect : null);
}
