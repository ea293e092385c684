using System;
using System.Management.Automation;
using System.Security;
using StudioPS.Session;

namespace StudioPS.Commands;

/// <summary>
/// Lets <c>-Token</c> take a plain string (runbooks hold tokens as strings, e.g. from a
/// variable or a vault) or a PSCredential (its password), turning it into a SecureString at once.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        switch (value)
        {
            case null:
                return null;
            case SecureString secure:
                return secure;
            case PSCredential credential:
                return credential.Password;
            case string text:
                return SecureText.ToSecureString(text);
            default:
                // Never echo the value: it may be the token.
                throw new ArgumentTransformationMetadataException(
                    $"-Token takes a SecureString, a string or a PSCredential, not a {value.GetType().Name}.");
        }
    }
}
