<#
.SYNOPSIS
A runbook for DataChain Studio: upload files, run a script as a job and follow its log, rebuild a
dataset through its pipeline and show the pipeline's graph.

.DESCRIPTION
Copy it and change the parameters. It reads its settings the way the datachain CLI does:
  DATACHAIN_STUDIO_TOKEN  a Studio token (isat_...)
  DATACHAIN_STUDIO_TEAM   the team to work in
  DATACHAIN_STUDIO_URL    the Studio address (default https://studio.datachain.ai)
or, when they are not set, the [studio] section of the datachain config file that
`datachain auth login` writes.

Nothing in it prompts, and any failure stops it with a non-zero exit code ($ErrorActionPreference
is Stop): a job that ends FAILED or CANCELED, a pipeline that fails, a refused token. That is what
a scheduler or CI pipeline needs to see.

The module is imported by name (installed in a PSModulePath folder) unless STUDIOPS_MODULE_PATH
names a manifest, as build.ps1 -Task Demo does to run it against the Studio emulator.

.PARAMETER Script
The script to run as a job (.py runs as PYTHON).

.PARAMETER File
Local files the job needs; they are uploaded first.

.PARAMETER Dataset
The dataset whose pipeline to trigger, @namespace.project.name. The default exists in the emulator.

.EXAMPLE
$env:DATACHAIN_STUDIO_TOKEN = 'isat_...'; $env:DATACHAIN_STUDIO_TEAM = 'my-team'
./examples/runbook.ps1 -Dataset '@my-team.project.features'
#>
[CmdletBinding()]
param(
    [string] $Script = (Join-Path $PSScriptRoot 'scripts/prepare.py'),
    [string[]] $File = @((Join-Path $PSScriptRoot 'data/sample.csv'), (Join-Path $PSScriptRoot 'data/labels.json')),
    [string] $Dataset = '@emulator.demo.features'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# A path cannot go into #Requires -Modules, hence the explicit import.
if ($env:STUDIOPS_MODULE_PATH) {
    Import-Module -Name $env:STUDIOPS_MODULE_PATH
}
else {
    Import-Module -Name StudioPS
}

# No parameters: the token, team and URL come from the environment or the datachain config.
Connect-Studio

# Which Studio, which team, which token (masked) this runbook works with.
Get-StudioConnection
Get-StudioCluster | Format-Table

# Upload the job's files (streamed from disk, with progress), then run the script with them.
# -Wait writes the job's log as it arrives and returns the finished job; a FAILED job stops the runbook.
$uploaded = $File | Send-StudioFile
$uploaded | Format-Table
$job = New-StudioJob -Path $Script -FileId $uploaded.Id -Environment @{ RUNBOOK = 'examples/runbook.ps1' } -Wait
# Duration as people read it (00:00:02); $job.Duration stays a TimeSpan for scripts.
$job | Format-List Id, Name, Status, ExitCode, @{ Name = 'Duration'; Expression = { '{0:hh\:mm\:ss}' -f $_.Duration } }, Url

# Rebuild the dataset and everything it depends on, wait for the whole graph, then draw it.
$pipeline = Invoke-StudioPipeline -Dataset $Dataset | Wait-StudioPipeline
$pipeline | Format-Table
$pipeline | Show-StudioPipeline

Disconnect-Studio
