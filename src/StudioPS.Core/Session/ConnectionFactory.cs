using System;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Security;
using StudioPS.Models;
using StudioPS.Input;

namespace StudioPS.Session
{
    /// <summary>Makes a <see cref="StudioConnection"/> from what the caller gave and what the environment and config hold.</summary>
    internal static class ConnectionFactory
    {
        public const int DefaultTimeoutSec = 100;
        public const int DefaultMaxRetries = 3;

        public static StudioConnection Create(ConnectionRequest request, string authScheme, int timeoutSec, int maxRetries,
            string userAgent, Func<string, string?> environment, string currentDirectory, HttpMessageHandler? primaryHandler = null)
        {
            var config = DatachainConfig.Load(environment, currentDirectory);
            var settings = ConnectionSettings.Resolve(request, environment, config);
            if (string.IsNullOrEmpty(settings.Token))
                throw new StudioInputException("TokenNotFound", "Token",
                    "No Studio token was found. Pass -Token to Connect-Studio, set DATACHAIN_STUDIO_TOKEN, or run 'datachain auth login' " +
                    "(it writes the token to " + string.Join(", ", DatachainConfig.Locate(environment, currentDirectory)) + ").");
            using var secure = ToSecureString(settings.Token!);
            return new StudioConnection(settings, secure, authScheme, timeoutSec, maxRetries, userAgent, primaryHandler);
        }

        /// <summary>The plain text of a SecureString, for the one moment it is needed (a header, a comparison).</summary>
        public static string Reveal(SecureString secure)
        {
            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
                return Marshal.PtrToStringUni(pointer) ?? string.Empty;
            }
            finally
            {
                if (pointer != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        public static SecureString ToSecureString(string value)
        {
            var secure = new SecureString();
            foreach (var c in value) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }
    }
}
