<#
.SYNOPSIS
Runs StudioPS's reliability properties against the Studio emulator and prints one line per property.

.DESCRIPTION
Each property is measured against the emulator's fault injection (see docs/RELIABILITY.md):
  reliability: <name> <figure> PASS|FAIL
and the run ends with "reliability: N passed, N failed". -Mode Full runs the sizes the issue names
(1,000 reads, 200 creations and 50 cancels, 5,000 log lines through 20+ socket drops...); -Mode Fast
runs the same checks small, as tests/Pester/Reliability.Tests.ps1 does inside the normal test command.
With -ReportPath, the lines are also written there (build.ps1 -Task Reliability puts them into
docs/RELIABILITY.md). Exits 1 when a property fails.
#>
[CmdletBinding()]
param(
    [ValidateSet('Fast', 'Full')]
    [string] $Mode = 'Full',
    [string] $ModulePath = $env:STUDIOPS_MODULE_PATH,
    [string] $EmulatorPath = $env:STUDIOPS_EMULATOR_PATH,
    [string] $Configuration = 'Release',
    [string] $ReportPath,
    [string[]] $Property
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }
$ProgressPreference = 'SilentlyContinue'
$repoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).ProviderPath
if (-not $ModulePath) { $ModulePath = Join-Path $repoRoot 'out/StudioPS/StudioPS.psd1' }
if (-not $EmulatorPath) { $EmulatorPath = Join-Path $repoRoot "src/StudioPS.Emulator/bin/$Configuration/net10.0/StudioPS.Emulator.dll" }

Import-Module (Join-Path $repoRoot 'tests/Pester/TestSupport.psm1') -Force
Import-Module $ModulePath -Force
Import-Module (Join-Path $PSScriptRoot 'Reliability.psm1') -Force

$full = $Mode -eq 'Full'
$null = Enter-IsolatedStudioEnvironment
$emulator = Start-TestEmulator -EmulatorPath $EmulatorPath
$results = [Collections.Generic.List[object]]::new()
$started = [Diagnostics.Stopwatch]::StartNew()
try {
    $checks = [ordered]@{
        'reads-under-faults'  = { Test-ReadsUnderFaults -Emulator $emulator -Count $(if ($full) { 1000 } else { 90 }) }
        'writes-under-faults' = { Test-WritesUnderFaults -Emulator $emulator -Creates $(if ($full) { 200 } else { 40 }) -Cancels $(if ($full) { 50 } else { 10 }) }
        'uploads-under-abort' = { Test-UploadsUnderAbort -Emulator $emulator -Count $(if ($full) { 20 } else { 4 }) }
        'cancellation'        = { Test-Cancellation -Emulator $emulator -ModulePath $ModulePath }
        'secrets'             = { Test-Secrets -Emulator $emulator }
        'bad-input'           = { Test-BadInput -Emulator $emulator }
        'hostile-responses'   = { Test-HostileResponses -RepoRoot $repoRoot -Configuration $Configuration }
        'token-confinement'   = { Test-TokenConfinement -Emulator $emulator -ModulePath $ModulePath -EmulatorPath $EmulatorPath -Rounds $(if ($full) { 3 } else { 1 }) }
        'hostile-server-ii'   = { Test-HostileServerII -Emulator $emulator -ModulePath $ModulePath }
        'long-log-follow'     = { if ($full) { Test-LongLogFollow -Emulator $emulator } else { Test-LongLogFollow -Emulator $emulator -Lines 400 -IntervalMs 15 -DropEveryMs 1000 -MinimumDrops 2 } }
    }
    foreach ($name in $checks.Keys) {
        if ($Property -and $name -notin $Property) { continue }
        $watch = [Diagnostics.Stopwatch]::StartNew()
        try {
            $result = & $checks[$name]
        }
        catch {
            $result = [pscustomobject]@{ Name = $name; Figure = "error: $($_.Exception.Message)"; Pass = $false }
        }
        $line = 'reliability: {0} {1} ({2:0.0} s) {3}' -f $result.Name, $result.Figure, $watch.Elapsed.TotalSeconds, $(if ($result.Pass) { 'PASS' } else { 'FAIL' })
        $results.Add([pscustomobject]@{ Name = $result.Name; Figure = $result.Figure; Pass = $result.Pass; Line = $line })
        Write-Host $line
    }
}
finally {
    Disconnect-Studio
    Stop-TestEmulator $emulator
    Exit-IsolatedStudioEnvironment
}
$passed = @($results | Where-Object Pass).Count
$failed = $results.Count - $passed
$summary = "reliability: $passed passed, $failed failed"
Write-Host $summary
if ($ReportPath) {
    $lines = @("Mode $Mode, $((Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm')) UTC, $([Environment]::ProcessorCount) cores, $([Runtime.InteropServices.RuntimeInformation]::OSDescription), " +
        "PowerShell $($PSVersionTable.PSVersion), $([math]::Round($started.Elapsed.TotalMinutes, 1)) min", '') + @($results.Line) + @($summary)
    Set-Content -LiteralPath $ReportPath -Value $lines
}
if ($failed -gt 0 -or $results.Count -eq 0) { exit 1 }
