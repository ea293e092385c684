using System.Management.Automation;
using StudioPS.Session;

namespace StudioPS.Commands
{
    /// <summary>Forgets the default connection (or closes the one given) and disposes its HttpClient.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Studio")]
    [OutputType(typeof(void))]
    public sealed class DisconnectStudioCommand : PSCmdlet
    {
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        public StudioConnection? Connection { get; set; }

        protected override void ProcessRecord()
        {
            if (Connection != null)
            {
                if (ReferenceEquals(Connection, StudioSession.Default)) StudioSession.Clear();
                else Connection.Dispose();
                WriteVerbose($"Closed the connection to {Connection.BaseUri}.");
                return;
            }
            var removed = StudioSession.Clear();
            // Safe to call twice (e.g. in a finally block): nothing to close is not an error.
            WriteVerbose(removed == null ? "No default Studio connection was open." : $"Closed the default connection to {removed.BaseUri}.");
        }
    }
}
