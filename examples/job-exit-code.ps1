<#
.SYNOPSIS
A scheduler's runbook: run one script as a Studio job, print its log, and exit with the datachain CLI's
exit code for the outcome.

.DESCRIPTION
Schedulers and CI systems act on a script's exit code. This runbook exits:
  0  the job ended COMPLETE
  1  the job ended FAILED, or anything else went wrong (a refused token, a missing file, Studio out of reach)
  2  the job was CANCELED, or ran longer than -TimeoutSec and was canceled here
like `datachain job run` does. Nothing prompts (run it with pwsh -NonInteractive).

Settings come from DATACHAIN_STUDIO_TOKEN, DATACHAIN_STUDIO_TEAM and DATACHAIN_STUDIO_URL, or from the
datachain config. The module is imported by name unless STUDIOPS_MODULE_PATH names a manifest.

.PARAMETER Path
The script to run (.py runs as PYTHON, anything else as SHELL).

.PARAMETER TimeoutSec
How long the job may run before the runbook cancels it.

.EXAMPLE
pwsh -NonInteractive -File ./examples/job-exit-code.ps1 -Path ./nightly.py -TimeoutSec 7200; "exit code $LASTEXITCODE"
#>
[CmdletBinding()]
param(
    [string] $Path = (Join-Path $PSScriptRoot 'scripts/prepare.py'),
    [ValidateRange(1, 86400)]
    [int] $TimeoutSec = 3600
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

if ($env:STUDIOPS_MODULE_PATH) {
    Import-Module -Name $env:STUDIOPS_MODULE_PATH
}
else {
    Import-Module -Name StudioPS
}

try {
    Connect-Studio
    $job = New-StudioJob -Path $Path
    Write-Output "Started job $($job.Id) ($($job.Name))."

    # The outcomes this runbook turns into exit codes are expected here; any other error still stops it.
    $finished = Wait-StudioJob -Id $job.Id -Timeout $TimeoutSec -ErrorAction SilentlyContinue -ErrorVariable outcome
    $unexpected = @($outcome | Where-Object { $_.FullyQualifiedErrorId -notmatch '^(JobFailed|JobCanceled|WaitTimeout),' })
    if ($unexpected.Count -gt 0) {
        throw $unexpected[0]
    }
    if (-not $finished) {
        Write-Output "Job $($job.Id) did not finish within $TimeoutSec s; canceling it."
        $finished = Stop-StudioJob -Id $job.Id -Wait -PassThru -Confirm:$false
    }

    Write-Output '--- log ---'
    Get-StudioJobLog -Id $job.Id
    Write-Output '-----------'
    $summary = "Job $($finished.Id) ended $($finished.Status)"
    if ($null -ne $finished.ExitCode) { $summary += " with exit code $($finished.ExitCode)" }
    if ($null -ne $finished.Duration) { $summary += ' after {0:hh\:mm\:ss}' -f $finished.Duration }
    if ($finished.ErrorMessage) { $summary += ": $($finished.ErrorMessage)" }
    Write-Output $summary

    # A missing job or a status without a code is 1, never 0.
    $codes = @{ COMPLETE = 0; FAILED = 1; CANCELED = 2 }
    exit $(if ($finished -and $codes.ContainsKey("$($finished.Status)")) { $codes["$($finished.Status)"] } else { 1 })
}
finally {
    Disconnect-Studio
}
