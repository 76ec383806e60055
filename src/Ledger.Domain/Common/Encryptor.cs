namespace Ledger.Domain.Common;

/// <summary>
/// How a decision keeps personal data it must store only encrypted: the function that encrypts
/// (null when no key is configured) and the name of the setting that holds the key.
/// </summary>
public sealed record Encryptor(string KeyName, Func<string, string>? Encrypt)
{
    public bool Enabled => Encrypt is not null;
}
