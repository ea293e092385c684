using System;

namespace StudioPS.Models
{
    /// <summary>
    /// Bad input found before any request is sent: names the parameter, says how to fix it,
    /// and carries a stable error id. The cmdlet layer turns it into an InvalidArgument ErrorRecord.
    /// </summary>
    public sealed class StudioInputException : ArgumentException
    {
        public StudioInputException(string errorId, string parameterName, string message, bool notFound = false)
            : base(message, parameterName)
        {
            ErrorId = errorId;
            NotFound = notFound;
        }

        public string ErrorId { get; }

        /// <summary>The input names something that does not exist (a missing file), not a malformed value.</summary>
        public bool NotFound { get; }

        /// <summary>The message without .NET's "(Parameter 'x')" suffix: the text already names the parameter.</summary>
        public string Text => base.Message.Split(new[] { " (Parameter '" }, StringSplitOptions.None)[0];
    }
}
