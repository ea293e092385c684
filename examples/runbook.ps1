<#
.SYNOPSIS
A runbook for DataChain Studio: connect, show the connection and the compute clusters.

.DESCRIPTION
Copy it and extend it. It reads its settings the way the datachain CLI does:
  DATACHAIN_STUDIO_TOKEN  a Studio token (isat_...)
  DATACHAIN_STUDIO_TEAM   the team to work in
  DATACHAIN_STUDIO_URL    the Studio address (default https://studio.datachain.ai)
or, when they are not set, the [studio] section of the datachain config file that
`datachain auth login` writes.

The module is imported by name (installed in a PSModulePath folder) unless STUDIOPS_MODULE_PATH
names a manifest, as build.ps1 -Task Demo does to run it against the Studio emulator.

.EXAMPLE
$env:DATACHAIN_STUDIO_TOKEN = 'isat_...'; $env:DATACHAIN_STUDIO_TEAM = 'my-team'; ./examples/runbook.ps1
#>
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

# Every compute cluster of the team, then the one jobs run on when no cluster is named.
Get-StudioCluster | Format-Table
Get-StudioCluster -Default
