using System;
using System.Management.Automation;
using StudioPS.Client;
using StudioPS.Models;
using StudioPS.Input;

namespace StudioPS.Commands
{
    /// <summary>Builds the module's ErrorRecords: the right category, a stable id, the server's message, never the token.</summary>
    internal static class ErrorRecords
    {
        public static ErrorCategory CategoryOf(StudioErrorKind kind)
        {
            switch (kind)
            {
                case StudioErrorKind.BadRequest: return ErrorCategory.InvalidArgument;
                case StudioErrorKind.Unauthorized: return ErrorCategory.AuthenticationError;
                case StudioErrorKind.Forbidden: return ErrorCategory.PermissionDenied;
                case StudioErrorKind.NotFound: return ErrorCategory.ObjectNotFound;
                case StudioErrorKind.Conflict: return ErrorCategory.ResourceExists;
                case StudioErrorKind.RateLimited: return ErrorCategory.LimitsExceeded;
                case StudioErrorKind.ServerError: return ErrorCategory.ResourceUnavailable;
                case StudioErrorKind.Timeout: return ErrorCategory.OperationTimeout;
                case StudioErrorKind.ConnectionFailed: return ErrorCategory.ConnectionError;
                case StudioErrorKind.TlsFailure: return ErrorCategory.SecurityError;
                case StudioErrorKind.InvalidResponse: return ErrorCategory.InvalidResult;
                case StudioErrorKind.OperationFailed: return ErrorCategory.OperationStopped;
                default: return ErrorCategory.NotSpecified;
            }
        }

        public static ErrorRecord FromApi(StudioApiException error, object? target)
        {
            var record = new ErrorRecord(error, error.ErrorId, CategoryOf(error.Kind), target);
            if (error.Method != null && error.Path != null)
                record.CategoryInfo.Activity = error.Method + " " + error.Path;
            record.ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = Advice(error) };
            return record;
        }

        public static ErrorRecord FromInput(StudioInputException error, object? target)
        {
            var category = error.ErrorId == "TokenNotFound" ? ErrorCategory.AuthenticationError
                : error.NotFound ? ErrorCategory.ObjectNotFound
                : ErrorCategory.InvalidArgument;
            var record = new ErrorRecord(error, error.ErrorId, category, target);
            record.ErrorDetails = new ErrorDetails(error.Message);
            return record;
        }

        public static ErrorRecord Create(string errorId, ErrorCategory category, string message, object? target, Exception? inner = null)
        {
            var record = new ErrorRecord(inner ?? new InvalidOperationException(message), errorId, category, target);
            record.ErrorDetails = new ErrorDetails(message);
            return record;
        }

        private static string? Advice(StudioApiException error)
        {
            switch (error.Kind)
            {
                case StudioErrorKind.Unauthorized:
                    return "Check the token (-Token, DATACHAIN_STUDIO_TOKEN or the datachain config); 'datachain auth token' prints a valid one.";
                case StudioErrorKind.Forbidden:
                    return "Check -Team and that the token's scopes allow this action.";
                case StudioErrorKind.RateLimited:
                    return "Wait and try again, or make fewer calls.";
                case StudioErrorKind.ConnectionFailed:
                case StudioErrorKind.TlsFailure:
                    return "Check -BaseUri (or DATACHAIN_STUDIO_URL) and the network path to Studio.";
                case StudioErrorKind.Timeout:
                    return error.OutcomeUnknown
                        ? "The request may have been carried out: check its result before sending it again. Raise -TimeoutSec on Connect-Studio for slow calls."
                        : "Try again, or raise -TimeoutSec on Connect-Studio.";
                default:
                    return error.OutcomeUnknown ? "The request may have been carried out: check its result before sending it again." : null;
            }
        }
    }
}
