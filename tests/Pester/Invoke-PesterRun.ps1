<#
.SYNOPSIS
Runs every tests/Pester/*.Tests.ps1 against the laid-out module; build.ps1 -Task Test starts it in a child process.

.DESCRIPTION
Imports Pester by path (it comes from the NuGet global packages folder, not a gallery), tells the test
files where the module and the emulator are through STUDIOPS_MODULE_PATH and STUDIOPS_EMULATOR_PATH,
writes {passed, failed, skipped, total, failures} as JSON to -ResultPath (failures: each failed test, file or
block with the first line of its message) and exits 1 when anything failed.

.EXAMPLE
dotnet pwsh -NoProfile -File tests/Pester/Invoke-PesterRun.ps1 -PesterPath ~/.nuget/packages/pester/5.7.1/tools/Pester.psd1 `
    -ModulePath out/StudioPS/StudioPS.psd1 -EmulatorPath src/StudioPS.Emulator/bin/Release/net10.0/StudioPS.Emulator.dll `
    -ResultPath out/TestResults/pester.json
#>
#Requires -Version 7.2
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmulatorPath,
    [Parameter(Mandatory)] [string] $ResultPath,
    # Only the tests whose full name (Describe, Context and It names joined by dots) matches these wildcards.
    [string[]] $FullNameFilter
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
if (Get-Variable -Name PSStyle -ErrorAction SilentlyContinue) {
    $PSStyle.OutputRendering = 'PlainText'
}

foreach ($path in $PesterPath, $ModulePath, $EmulatorPath) {
    if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
        throw "Invoke-PesterRun: '$path' does not exist."
    }
}

Import-Module -Name (Resolve-Path -LiteralPath $PesterPath).ProviderPath -Force
$env:STUDIOPS_MODULE_PATH = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
$env:STUDIOPS_EMULATOR_PATH = (Resolve-Path -LiteralPath $EmulatorPath).ProviderPath

$testFiles = @(Get-ChildItem -Path (Join-Path $PSScriptRoot '*.Tests.ps1') -File | Sort-Object Name)
if ($testFiles.Count -eq 0) {
    throw "Invoke-PesterRun: no *.Tests.ps1 file in $PSScriptRoot."
}

$configuration = New-PesterConfiguration
$configuration.Run.Path = [string[]]$testFiles.FullName
$configuration.Run.PassThru = $true
$configuration.Run.Exit = $false
$configuration.Output.Verbosity = 'Detailed'
if ($FullNameFilter) {
    $configuration.Filter.FullName = $FullNameFilter
}

$result = Invoke-Pester -Configuration $configuration

# A file that fails to load, or an AfterAll that throws after its tests passed, is a failure that no
# It reports; a BeforeAll that throws already fails every test of its block, so that block adds nothing.
$silentBlockFailures = @($result.FailedBlocks | Where-Object { $_.FailedCount -eq 0 }).Count
$failed = $result.FailedCount + $result.FailedContainersCount + $silentBlockFailures
# The names go into the summary too, each with the first line of its message: CI may keep only the end of a
# long log.
function Get-FirstErrorLine($Item) {
    # A test under a BeforeAll that threw is failed without an error of its own: the message is its block's.
    $node = $Item
    $own = $true
    while ($null -ne $node) {
        $records = @($node.PSObject.Properties['ErrorRecord'] | ForEach-Object Value | Where-Object { $_ })
        if ($records.Count -gt 0) {
            $line = ("$($records[0].Exception.Message)".Trim() -split '\r?\n')[0]
            return $(if ($own) { $line } else { "not run, its block's setup failed: $line" })
        }
        $own = $false
        $parent = $node.PSObject.Properties['Block']
        if ($null -eq $parent) { $parent = $node.PSObject.Properties['Parent'] }
        $node = if ($parent) { $parent.Value } else { $null }
    }
    ''
}
$failures = @(
    $result.Failed | ForEach-Object { "$($_.ExpandedPath): $(Get-FirstErrorLine $_)" }
    $result.FailedContainers | ForEach-Object { "$($_.Item) (file failed): $(Get-FirstErrorLine $_)" }
    $result.FailedBlocks | Where-Object { $_.FailedCount -eq 0 } |
        ForEach-Object { "$($_.ExpandedPath) (block setup or teardown): $(Get-FirstErrorLine $_)" }
)
$summary = [ordered]@{
    passed   = $result.PassedCount
    failed   = $failed
    skipped  = $result.SkippedCount
    total    = $result.PassedCount + $failed + $result.SkippedCount
    failures = [string[]]$failures
}
$resultDirectory = Split-Path -Parent $ResultPath
if ($resultDirectory) {
    $null = New-Item -ItemType Directory -Path $resultDirectory -Force
}
$summary | ConvertTo-Json | Set-Content -LiteralPath $ResultPath -Encoding utf8NoBOM

if ($failed -gt 0 -or $result.Result -eq 'Failed') {
    exit 1
}
exit 0
