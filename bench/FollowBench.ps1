<#
.SYNOPSIS
The log-follow measurements (follow-100k, follow-memory) in a fresh PowerShell process; Invoke-StudioBench.ps1 runs it.

.DESCRIPTION
follow-pair: in this one process, alternately, `Get-StudioJobLog -Follow` over a finished job, a raw
ClientWebSocket loop that reads the same stream and JSON-parses every frame, and Write-Output writing the
same lines to the pipeline (PowerShell's cost per output object), and the least a compiled cmdlet must do to
write the followed log as lines (MinimalLogFollow.cs, compiled here with Add-Type); after one unmeasured run of
each, -Repetitions measured runs of each. Writes one JSON line: {"scenario", "studiops_ms" (median),
"baseline_ms" (median), "write_ms" (median), "minimal_ms" (median), "count" (lines), "records" (log records the
raw loop saw)}.

follow-memory: `Get-StudioJobLog -Follow` of a running job in a second runspace of this process while this
thread makes the emulator drop every connection after -DropEveryMs (TestSupport's Set-EmulatorWebSocketFault)
and lifts the fault once -Reconnects reconnections have been seen, so the follow can finish. Growth is this
process's peak resident set growth (VmHWM after clear_refs, as in BenchWorker.ps1). Writes
{"scenario", "ms", "count", "connections", "growth_bytes"}.
#>
#Requires -Version 7.2
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [ValidateSet('follow-pair', 'follow-memory')] [string] $Scenario,
    [Parameter(Mandatory)] [string] $Url,
    [Parameter(Mandatory)] [string] $Token,
    [Parameter(Mandatory)] [string] $Team,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $JobId,
    [int] $Repetitions = 5,
    [int] $Reconnects = 20,
    [int] $DropEveryMs = 1000,
    # The emulator's control token (follow-memory drives its websocket faults through the control API).
    [string] $ControlToken
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

Import-Module -Name $ModulePath
Connect-Studio -Token $Token -BaseUri $Url -Team $Team

function Invoke-RawFollow {
    # The baseline: the same stream read with ClientWebSocket, every frame parsed as JSON, records counted.
    $socket = [System.Net.WebSockets.ClientWebSocket]::new()
    $socket.Options.SetRequestHeader('Authorization', "Bearer $Token")
    $uri = [uri]('{0}/api/logs/follow/?job_id={1}&team_name={2}' -f ($Url.TrimEnd('/') -replace '^http', 'ws'), $JobId, [uri]::EscapeDataString($Team))
    $none = [Threading.CancellationToken]::None
    $null = $socket.ConnectAsync($uri, $none).GetAwaiter().GetResult()
    $buffer = [byte[]]::new(1MB)
    $frame = [IO.MemoryStream]::new()
    $records = 0
    try {
        while ($true) {
            $received = $socket.ReceiveAsync([ArraySegment[byte]]::new($buffer), $none).GetAwaiter().GetResult()
            if ($received.MessageType -eq [System.Net.WebSockets.WebSocketMessageType]::Close) { break }
            $null = $frame.Write($buffer, 0, $received.Count)
            if (-not $received.EndOfMessage) { continue }
            $document = [System.Text.Json.JsonDocument]::Parse([ReadOnlyMemory[byte]]::new($frame.GetBuffer(), 0, [int]$frame.Length))
            foreach ($property in $document.RootElement.EnumerateObject()) {
                if ($property.Name -eq 'logs') { $records += $property.Value.GetArrayLength() }
            }
            $document.Dispose()
            $frame.SetLength(0)
        }
    }
    finally { $socket.Dispose() }
    $records
}

$statusPath = '/proc/self/status'
function Read-StatusKb([string] $Field) {
    foreach ($line in [IO.File]::ReadAllLines($statusPath)) {
        if ($line.StartsWith("${Field}:")) { return [long](($line.Substring($Field.Length + 1).Trim() -split '\s+')[0]) * 1024 }
    }
    throw "$statusPath has no $Field line."
}

switch ($Scenario) {
    'follow-pair' {
        Add-Type -Path (Join-Path $PSScriptRoot 'MinimalLogFollow.cs') -PassThru | Select-Object -First 1 | ForEach-Object { Import-Module -Assembly $_.Assembly }
        $streamUri = [uri]('{0}/api/logs/follow/?job_id={1}&team_name={2}' -f ($Url.TrimEnd('/') -replace '^http', 'ws'), $JobId, [uri]::EscapeDataString($Team))
        $lines = [string[]]@(Get-StudioJobLog -Id $JobId -Follow)
        $count = $lines.Count
        $records = Invoke-RawFollow
        $null = Write-Output -InputObject $lines
        $minimalLines = [string[]]@(Read-MinimalLogFollow -Uri $streamUri -Token $Token)
        if ($minimalLines.Count -ne $count -or $minimalLines[-1] -cne $lines[-1]) { throw "The minimal cmdlet read $($minimalLines.Count) lines, Get-StudioJobLog $count." }
        $studio = [Collections.Generic.List[double]]::new()
        $baseline = [Collections.Generic.List[double]]::new()
        $writes = [Collections.Generic.List[double]]::new()
        $minimal = [Collections.Generic.List[double]]::new()
        for ($r = 0; $r -lt $Repetitions; $r++) {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $null = Get-StudioJobLog -Id $JobId -Follow
            $studio.Add($sw.Elapsed.TotalMilliseconds)
            $sw.Restart()
            $null = Invoke-RawFollow
            $baseline.Add($sw.Elapsed.TotalMilliseconds)
            # PowerShell's own cost of writing the same lines to the pipeline, one object each, from a compiled
            # cmdlet (Write-Output enumerating a string array): a floor no cmdlet that emits lines goes under.
            $sw.Restart()
            $null = Write-Output -InputObject $lines
            $writes.Add($sw.Elapsed.TotalMilliseconds)
            # The floor for any cmdlet that writes the lines: the same stream, no deduplication, reconnects or status.
            $sw.Restart()
            $null = Read-MinimalLogFollow -Uri $streamUri -Token $Token
            $minimal.Add($sw.Elapsed.TotalMilliseconds)
        }
        $median = { param($list) $s = @($list | Sort-Object); if ($s.Count % 2) { $s[[int][Math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }
        [ordered]@{ scenario = $Scenario; studiops_ms = (& $median $studio); baseline_ms = (& $median $baseline); write_ms = (& $median $writes); minimal_ms = (& $median $minimal); count = $count; records = $records } |
            ConvertTo-Json -Compress
    }
    'follow-memory' {
        Import-Module (Join-Path $PSScriptRoot '../tests/Pester/TestSupport.psm1')
        if (-not $ControlToken) { throw 'follow-memory needs -ControlToken: it drives the emulator''s websocket faults.' }
        $emulator = [pscustomobject]@{ Url = $Url; ControlToken = $ControlToken }
        $follower = [powershell]::Create()
        $null = $follower.AddScript({
                param($ModulePath, $Token, $Url, $Team, $JobId)
                Import-Module -Name $ModulePath
                Connect-Studio -Token $Token -BaseUri $Url -Team $Team
                # Warm-up, before the memory window opens: the same code path (websocket, follower, frame parser,
                # hand-over to the pipeline) over 200,000 lines (about 200 frames), then a pause, so .NET's tiered JIT
                # has recompiled the hot methods (it does so after 30 calls, on a background thread) and the window
                # holds the follow's own memory, not the one-time cost of compiling it (about 25 MiB here; with
                # DOTNET_TieredCompilation=0 the figure was the same without any warm-up beyond one line).
                $null = Get-StudioJobLog -Id $JobId -Follow | Select-Object -First 200000
                Start-Sleep -Seconds 2
                $ready.Set()
                $go.Wait()
                (Get-StudioJobLog -Id $JobId -Follow | Measure-Object).Count
            })
        $ready = [Threading.ManualResetEventSlim]::new()
        $go = [Threading.ManualResetEventSlim]::new()
        $follower.Runspace.SessionStateProxy.SetVariable('ready', $ready)
        $follower.Runspace.SessionStateProxy.SetVariable('go', $go)
        $null = $follower.AddParameters(@{ ModulePath = $ModulePath; Token = $Token; Url = $Url; Team = $Team; JobId = $JobId })
        $async = $follower.BeginInvoke()
        $ready.Wait()
        # Whatever fails below, the follower runspace must not stay parked on $go (the process would never exit).
        trap { $go.Set(); $follower.Stop(); break }
        [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        # Where there is no /proc (macOS, Windows, a locked-down container) the growth is not measured: -1.
        $canMeasure = Test-Path -LiteralPath '/proc/self/clear_refs'
        $base = -1L
        if ($canMeasure) {
            [IO.File]::WriteAllText('/proc/self/clear_refs', '5')
            $base = Read-StatusKb 'VmRSS'
        }
        Clear-EmulatorRequest $emulator
        Set-EmulatorWebSocketFault $emulator @{ drop_every_ms = $DropEveryMs }
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $go.Set()
        $connections = 0
        while (-not $async.IsCompleted) {
            Start-Sleep -Milliseconds 200
            if ($connections -lt $Reconnects + 1) {
                $connections = @(Get-EmulatorRequest $emulator | Where-Object path -like '/api/logs/follow*').Count
                if ($connections -ge $Reconnects + 1) { Set-EmulatorWebSocketFault $emulator }
            }
        }
        Set-EmulatorWebSocketFault $emulator
        $count = $follower.EndInvoke($async)[0]
        $sw.Stop()
        $growth = if ($canMeasure) { [Math]::Max(0L, (Read-StatusKb 'VmHWM') - $base) } else { -1L }
        $follower.Dispose()
        [ordered]@{ scenario = $Scenario; ms = $sw.Elapsed.TotalMilliseconds; count = $count; connections = $connections; growth_bytes = $growth } |
            ConvertTo-Json -Compress
    }
}
