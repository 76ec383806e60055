using Ledger.Domain.Common;

namespace Ledger.Api.Security;

public static class EncryptorOf
{
    /// <summary>
    /// The field protector as the Domain's decisions use it, for one field of one record: encrypt
    /// (bound to <paramref name="binding"/>) when a key is configured, and the key's setting by name.
    /// </summary>
    public static Encryptor AsEncryptor(this FieldProtector protector, FieldBinding binding) =>
        new(FieldProtector.ConfigurationKey, protector.Enabled ? plain => protector.Protect(plain, binding) : null);
}
