using System.Diagnostics;

namespace StudioPS.Emulator;

/// <summary>Whether a process id still names a running process (for --parent-pid and stale data folders).</summary>
public static class ProcessLiveness
{
    public static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
