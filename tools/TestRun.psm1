<#
What build.ps1 -Task Test needs beyond running the suites, in a module so tests/Pester can check it:
- the -Filter text as each runner's filter, matched without regard to case and taken literally
  (xunit: VSTest's FullyQualifiedName~ "contains", which ignores case; Pester: a -like wildcard, which
  ignores case too; the characters each syntax treats specially are escaped);
- a trx file's counts and the names of its failed tests, for the run's summary (a CI log may keep only its end);
- a private temporary folder for the test processes (TMPDIR, TMP and TEMP point into it), so whatever
  a test leaves behind can be found and reported at the end of the run, and removed.
#>
#Requires -Version 7.2
Set-StrictMode -Version Latest

function ConvertTo-XUnitFilter {
    # VSTest filter syntax: \ escapes the operators ( ) & | = ! ~ and itself.
    param([Parameter(Mandatory)] [string] $Text)
    $escaped = [regex]::Replace($Text, '[\\()&|=!~]', { param($m) '\' + $m.Value })
    "FullyQualifiedName~$escaped"
}

function ConvertTo-PesterFilter {
    # Pester compares the full name with -like, which ignores case; [ ] * ? are taken literally here.
    param([Parameter(Mandatory)] [string] $Text)
    '*' + [System.Management.Automation.WildcardPattern]::Escape($Text) + '*'
}

function Enter-TestTempDirectory {
    # Points the temporary folder of this process and its children at a fresh folder; returns the saved values.
    param([Parameter(Mandatory)] [string] $Path)
    $null = New-Item -ItemType Directory -Path $Path -Force
    $saved = @{}
    foreach ($name in 'TMPDIR', 'TMP', 'TEMP') {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $Path)
    }
    $saved
}

# What this repository's code and tests name their temporary files and folders (studiops-*, the emulator's
# studio-emulator-*, emulator-settings-*). Anything else in the folder is the tools' own (the .NET runtime's
# clr-debug-pipe-* and dotnet-diagnostic-* of killed processes, empty mkdtemp folders of the SDK): not a
# test's to remove, so not reported.
$script:OwnTempPattern = '^(studio|emulator)'

function Exit-TestTempDirectory {
    # Restores the variables, lists what the tests left in the folder (names this repository uses), then deletes it.
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [hashtable] $Saved)
    foreach ($name in $Saved.Keys) {
        # A variable that was not set is removed again (PowerShell would pass $null on as an empty string).
        if ($null -eq $Saved[$name]) { Remove-Item -LiteralPath "Env:$name" -ErrorAction SilentlyContinue }
        else { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
    }
    $left = @()
    if (Test-Path -LiteralPath $Path) {
        $left = @(Get-ChildItem -LiteralPath $Path -Force | Where-Object Name -match $script:OwnTempPattern | Sort-Object Name | ForEach-Object Name)
        Remove-Item -LiteralPath $Path -Recurse -Force -ErrorAction SilentlyContinue
    }
    , $left
}

# The outcomes of a VSTest trx file that count as failed: a test that errored, timed out or was aborted did not pass
# either. Each is also the name of its counter in the file's summary, in lower case.
$script:FailedOutcomes = 'Failed', 'Error', 'Timeout', 'Aborted'

function Read-TrxResult {
    # A VSTest trx file's counts, from its summary, and each test counted as failed, with the first line of its message.
    param([Parameter(Mandatory)] [string] $Path)
    $run = ([xml](Get-Content -LiteralPath $Path -Raw)).TestRun
    $counters = $run.ResultSummary.Counters
    $failures = foreach ($result in $run.SelectNodes("*[local-name()='Results']/*[local-name()='UnitTestResult']")) {
        if ($result.outcome -notin $script:FailedOutcomes) { continue }
        $message = $result.SelectSingleNode("*[local-name()='Output']/*[local-name()='ErrorInfo']/*[local-name()='Message']")
        $firstLine = if ($message) { ($message.InnerText.Trim() -split '\r?\n')[0] } else { '' }
        "$($result.testName) [$($result.outcome)]: $firstLine"
    }
    [pscustomobject]@{
        Passed   = [int]$counters.passed
        Failed   = ($script:FailedOutcomes | ForEach-Object { [int]$counters.($_.ToLowerInvariant()) } | Measure-Object -Sum).Sum
        Skipped  = [int]$counters.notExecuted
        Failures = [string[]]@($failures)
    }
}

Export-ModuleMember -Function ConvertTo-XUnitFilter, ConvertTo-PesterFilter, Read-TrxResult, Enter-TestTempDirectory, Exit-TestTempDirectory
