<#
.SYNOPSIS
One benchmark measurement in a fresh PowerShell process; Invoke-StudioBench.ps1 runs it.

.DESCRIPTION
Runs one scenario against a running emulator and writes one JSON line to standard output:
{"scenario", "ms", "first_ms", "count", "growth_bytes", "emulator_cpu_ms"}, and for percall "blocks":
milliseconds per call of each kind, one value per block.

Memory is the process's peak resident set growth: after the warm-up and a full garbage collection the
kernel's peak counter (VmHWM) is reset through /proc/self/clear_refs and the resident set (VmRSS) read as
the base; after the measured work growth = VmHWM - base. That is the most the measured work added to
the process at any moment, whatever the garbage collector did in between. Off Linux growth is -1.
#>
#Requires -Version 7.2
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [ValidateSet('percall', 'list-studiops', 'list-irm', 'list-body', 'upload-studiops', 'wait-studiops', 'save-studiops')]
    [string] $Scenario,

    [Parameter(Mandatory)] [string] $Url,
    [Parameter(Mandatory)] [string] $Token,
    [Parameter(Mandatory)] [string] $Team,
    [Parameter(Mandatory)] [string] $ModulePath,

    # percall: calls per block of one kind, and rounds of blocks.
    [int] $Count = 100,
    [int] $Rounds = 20,
    [string] $FilePath,
    # Comma-separated (a -File command line has no arrays).
    [string] $JobId = '',
    [int] $PollRounds = 10,
    # save-studiops: the dataset to save into the folder -FilePath.
    [string] $Dataset,

    # The emulator's process: its CPU time during the measured span is reported as emulator_cpu_ms.
    [int] $EmulatorPid = 0
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$statusPath = '/proc/self/status'
$canMeasureMemory = Test-Path -LiteralPath '/proc/self/clear_refs'

function Read-StatusKb([string] $Field) {
    foreach ($line in [IO.File]::ReadAllLines($statusPath)) {
        if ($line.StartsWith("${Field}:")) {
            return [long](($line.Substring($Field.Length + 1).Trim() -split '\s+')[0]) * 1024
        }
    }
    throw "$statusPath has no $Field line."
}

function Start-MemoryWindow {
    # The base: what the process holds after the warm-up, with garbage collected.
    [GC]::Collect()
    [GC]::WaitForPendingFinalizers()
    [GC]::Collect()
    if (-not $canMeasureMemory) { return -1L }
    [IO.File]::WriteAllText('/proc/self/clear_refs', '5')   # resets VmHWM to the current VmRSS
    Read-StatusKb 'VmRSS'
}

function Stop-MemoryWindow([long] $Base) {
    if ($Base -lt 0) { return -1L }
    [Math]::Max(0L, (Read-StatusKb 'VmHWM') - $Base)
}

$listUri = '{0}/api/datachain/jobs/?team_name={1}' -f $Url.TrimEnd('/'), [uri]::EscapeDataString($Team)
$clusterUri = '{0}/api/datachain/clusters/?team_name={1}' -f $Url.TrimEnd('/'), [uri]::EscapeDataString($Team)
$result = [ordered]@{ scenario = $Scenario; ms = 0.0; first_ms = -1.0; count = 0; growth_bytes = -1L }
$sw = [Diagnostics.Stopwatch]::new()
$emulatorProcess = if ($EmulatorPid) { [Diagnostics.Process]::GetProcessById($EmulatorPid) } else { $null }
$result.emulator_cpu_ms = -1.0
$emulatorCpuStart = $null
# Every scenario starts $sw right when its measured span begins; this notes the emulator's CPU time then.
function Start-Measure {
    if ($emulatorProcess) { $emulatorProcess.Refresh(); $script:emulatorCpuStart = $emulatorProcess.TotalProcessorTime }
    $sw.Start()
}
function Stop-Measure {
    $sw.Stop()
    if ($emulatorProcess) { $emulatorProcess.Refresh(); $result.emulator_cpu_ms = ($emulatorProcess.TotalProcessorTime - $script:emulatorCpuStart).TotalMilliseconds }
}

if ($Scenario -like '*-studiops' -or $Scenario -eq 'percall') {
    Import-Module -Name $ModulePath
    Connect-Studio -Token $Token -BaseUri $Url -Team $Team
}

switch ($Scenario) {
    'percall' {
        # Four kinds of call, interleaved in blocks of -Count calls for -Rounds rounds, the order rotating
        # each round, so that a change in the machine's load falls on all of them alike:
        #   studiops    Get-StudioCluster
        #   irm         Invoke-RestMethod with one web session (what a script would otherwise write)
        #   httpclient  the same GET through one raw HttpClient, the body read as a string: the floor
        #   connection  Get-StudioConnection, a StudioPS cmdlet that sends nothing: PowerShell's share
        # -SessionVariable makes the web session: naming [Microsoft.PowerShell.Commands.WebRequestSession]
        # before any cmdlet of Microsoft.PowerShell.Utility has run fails where PowerShell never ran (its
        # assembly loads lazily, and only a warm module cache happens to load it first).
        $null = Invoke-RestMethod -Uri $clusterUri -Headers @{ Authorization = "Bearer $Token" } -SessionVariable session
        $client = [Net.Http.HttpClient]::new()
        $client.DefaultRequestHeaders.Authorization = [Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $Token)
        $calls = [ordered]@{
            studiops   = { $null = Get-StudioCluster }
            irm        = { $null = Invoke-RestMethod -Uri $clusterUri -WebSession $session }
            httpclient = { $null = $client.GetStringAsync($clusterUri).GetAwaiter().GetResult() }
            connection = { $null = Get-StudioConnection }
        }
        $kinds = @($calls.Keys)
        $blocks = [ordered]@{}
        foreach ($kind in $kinds) {
            $blocks[$kind] = [Collections.Generic.List[double]]::new()
            # Past tiered compilation's thresholds, as a script's later calls are.
            for ($i = 0; $i -lt 200; $i++) { & $calls[$kind] }
        }
        Start-Measure
        for ($round = 0; $round -lt $Rounds; $round++) {
            for ($k = 0; $k -lt $kinds.Count; $k++) {
                $kind = $kinds[($round + $k) % $kinds.Count]
                $call = $calls[$kind]
                $block = [Diagnostics.Stopwatch]::StartNew()
                for ($i = 0; $i -lt $Count; $i++) { & $call }
                $blocks[$kind].Add($block.Elapsed.TotalMilliseconds / $Count)
            }
        }
        Stop-Measure
        $client.Dispose()
        $result.count = $Count * $Rounds
        # Milliseconds per call, one value per block, in round order.
        $result.blocks = $blocks
    }
    'list-studiops' {
        $null = Get-StudioJob -First 5 | Measure-Object
        $base = Start-MemoryWindow
        Start-Measure
        $measured = Get-StudioJob | Measure-Object
        Stop-Measure
        $result.growth_bytes = Stop-MemoryWindow $base
        $result.count = $measured.Count
        # Time to the first object, in its own call: a counting filter would slow the whole list.
        $first = [Diagnostics.Stopwatch]::StartNew()
        $null = Get-StudioJob | & { process { $first.Stop(); $_ } } | Select-Object -First 1
        $result.first_ms = $first.Elapsed.TotalMilliseconds
    }
    'list-irm' {
        # The session comes from -SessionVariable, as in percall-irm.
        $null = Invoke-RestMethod -Uri "$listUri&limit=5" -Headers @{ Authorization = "Bearer $Token" } -SessionVariable session | Measure-Object
        $base = Start-MemoryWindow
        Start-Measure
        # Invoke-RestMethod emits the parsed array as one object: in parentheses it is enumerated, one job at a time.
        $measured = (Invoke-RestMethod -Uri $listUri -WebSession $session) | Measure-Object
        Stop-Measure
        $result.growth_bytes = Stop-MemoryWindow $base
        $result.count = $measured.Count
    }
    'list-body' {
        # What loopback allows: one HttpClient reading every byte into a reused buffer, nothing parsed.
        # first_ms is when the first bytes of the body arrived (the server's time to first byte).
        $client = [Net.Http.HttpClient]::new()
        $client.DefaultRequestHeaders.Authorization = [Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $Token)
        $buffer = [byte[]]::new(81920)
        $read = {
            param([string] $Uri)
            $response = $client.SendAsync([Net.Http.HttpRequestMessage]::new('GET', $Uri), 'ResponseHeadersRead').GetAwaiter().GetResult()
            $stream = $response.Content.ReadAsStreamAsync().GetAwaiter().GetResult()
            $total = $stream.Read($buffer, 0, $buffer.Length)
            $firstAt = $sw.Elapsed.TotalMilliseconds
            while (($n = $stream.Read($buffer, 0, $buffer.Length)) -gt 0) { $total += $n }
            $response.Dispose()
            $total, $firstAt
        }
        $null = & $read "$listUri&limit=5"
        Start-Measure
        $total, $firstAt = & $read $listUri
        Stop-Measure
        $result.first_ms = $firstAt
        $result.count = $total
        $client.Dispose()
    }
    'upload-studiops' {
        $null = Get-StudioCluster
        $base = Start-MemoryWindow
        Start-Measure
        $file = Send-StudioFile -Path $FilePath
        Stop-Measure
        $result.growth_bytes = Stop-MemoryWindow $base
        $result.count = [long]$file.Size
    }
    'save-studiops' {
        $null = Get-StudioCluster
        $base = Start-MemoryWindow
        Start-Measure
        $files = Save-StudioDataset -Name $Dataset -Path $FilePath -PollIntervalSec 1
        Stop-Measure
        $result.growth_bytes = Stop-MemoryWindow $base
        $result.count = [long](($files | Measure-Object -Property Length -Sum).Sum)
    }
    'wait-studiops' {
        # Rounds at 0, 1, ... PollRounds-1 s: the time-out ends the wait right after the last one.
        Start-Measure
        $late = Wait-StudioJob -Id ($JobId -split ',') -Timeout ($PollRounds - 1) -PollIntervalSec 1 -ErrorAction SilentlyContinue
        Stop-Measure
        $result.count = @($late).Count
    }
}
$result.ms = $sw.Elapsed.TotalMilliseconds
ConvertTo-Json -InputObject $result -Compress -Depth 5
