# What build.ps1 -Task Test does around the suites (tools/TestRun.psm1): -Filter matches in any case in
# both runners, the summary names each failed test, and the tests' temporary folder is checked for
# leftovers at the end of a run.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).ProviderPath
    Import-Module (Join-Path $RepoRoot 'tools/TestRun.psm1') -Force
    $Work = Join-Path ([IO.Path]::GetTempPath()) ('studiops-testrun-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $Work
}

AfterAll {
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'build.ps1 -Filter' {
    It 'selects Pester tests whatever the case of the text, and takes wildcard characters literally' {
        $fixture = Join-Path $Work 'Fixture.Tests.ps1'
        Set-Content -LiteralPath $fixture -Encoding utf8NoBOM -Value @'
Describe 'Bench smoke' { It 'runs [fast]' { 1 | Should -Be 1 } }
Describe 'Other' { It 'runs too' { 1 | Should -Be 1 } }
'@
        $pester = (Get-Module Pester).Path
        foreach ($text in 'bench', 'BENCH', 'Bench smoke.runs [fast]') {
            $filter = ConvertTo-PesterFilter -Text $text
            $command = "Import-Module '$pester'; `$c = New-PesterConfiguration; `$c.Run.Path = '$fixture'; `$c.Filter.FullName = '$($filter -replace "'", "''")'; " +
                "`$c.Run.PassThru = `$true; `$c.Output.Verbosity = 'None'; `$r = Invoke-Pester -Configuration `$c; 'passed=' + `$r.PassedCount"
            (Invoke-ChildPowerShell -Command $command).Output | Should -Contain 'passed=1' -Because "-Filter '$text' selects the one Bench test"
        }
    }

    It 'selects xunit tests whatever the case of the text' {
        $project = Join-Path $RepoRoot 'tests/StudioPS.Core.Tests/StudioPS.Core.Tests.csproj'
        $filter = ConvertTo-XUnitFilter -Text 'JOBGUIDANCETESTS.an_interrupted'
        $output = & dotnet test $project --no-build -c Release --filter $filter 2>&1 | ForEach-Object { "$_" }
        ($output -join "`n") | Should -Match 'Passed:\s+1\b' -Because ($output -join "`n")
    }

    It 'escapes the characters VSTest reads as operators' {
        ConvertTo-XUnitFilter -Text 'a(b)|c&d=e!f~g\h' | Should -Be 'FullyQualifiedName~a\(b\)\|c\&d\=e\!f\~g\\h'
    }
}

Describe 'The summary of a test run' {
    It 'counts an xunit run''s tests and names each counted as failed with the first line of its message, and no other' {
        $trx = Join-Path $Work 'run.trx'
        Set-Content -LiteralPath $trx -Encoding utf8NoBOM -Value @'
<?xml version="1.0" encoding="utf-8"?>
<TestRun id="1" name="run" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
  <Results>
    <UnitTestResult testName="A.passes" outcome="Passed" />
    <UnitTestResult testName="A.fails" outcome="Failed">
      <Output><ErrorInfo><Message>Assert.Equal() Failure: Values differ
Expected: 1
Actual:   2</Message><StackTrace>at A.fails()</StackTrace></ErrorInfo></Output>
    </UnitTestResult>
    <UnitTestResult testName="A.skipped" outcome="NotExecuted" />
    <UnitTestResult testName="A.hangs" outcome="Timeout" />
    <UnitTestResult testName="A.unsure" outcome="Inconclusive" />
  </Results>
  <ResultSummary outcome="Failed">
    <Counters total="5" executed="4" passed="1" failed="1" error="0" timeout="1" aborted="0" inconclusive="1" notExecuted="1" />
  </ResultSummary>
</TestRun>
'@
        $result = Read-TrxResult -Path $trx
        $result.Passed | Should -Be 1
        $result.Failed | Should -Be 2 -Because 'a timed-out test did not pass either'
        $result.Skipped | Should -Be 1
        @($result.Failures) | Should -Be @(
            'A.fails [Failed]: Assert.Equal() Failure: Values differ',
            'A.hangs [Timeout]: ')
    }

    It 'has Invoke-PesterRun write the failed tests, those under a failed setup and blocks whose teardown failed, one line each, into its result' {
        $folder = Join-Path $Work 'pester-run'
        $null = New-Item -ItemType Directory -Path $folder -Force
        Copy-Item -LiteralPath (Join-Path $PSScriptRoot 'Invoke-PesterRun.ps1') -Destination $folder
        Set-Content -LiteralPath (Join-Path $folder 'Fixture.Tests.ps1') -Encoding utf8NoBOM -Value @'
Describe 'Good' { It 'passes' { 1 | Should -Be 1 } }
Describe 'Bad' { It 'fails' { 1 | Should -Be 2 } }
Describe 'Teardown' {
    It 'passes first' { 1 | Should -Be 1 }
    AfterAll { throw 'teardown broke' }
}
Describe 'Setup' {
    BeforeAll { throw "setup broke`nsecond line" }
    It 'never runs' { 1 | Should -Be 1 }
}
'@
        # The module and the emulator need only exist here: the fixture loads neither.
        $anyFile = Join-Path $folder 'Fixture.Tests.ps1'
        $resultPath = Join-Path $folder 'pester.json'
        $run = Invoke-ChildPowerShell -File (Join-Path $folder 'Invoke-PesterRun.ps1') -ArgumentList @(
            '-PesterPath', (Get-Module Pester).Path, '-ModulePath', $anyFile, '-EmulatorPath', $anyFile, '-ResultPath', $resultPath)
        $run.ExitCode | Should -Be 1
        $result = Get-Content -LiteralPath $resultPath -Raw | ConvertFrom-Json
        $result.failed | Should -Be 3
        $result.passed | Should -Be 2
        @($result.failures) | Should -Be @(
            'Bad.fails: Expected 2, but got 1.',
            "Setup.never runs: not run, its block's setup failed: setup broke",
            'Teardown (block setup or teardown): teardown broke')
    }
}

Describe 'The tests'' temporary folder' {
    It 'points TMPDIR, TMP and TEMP at a folder of its own, and reports and removes what was left there' {
        $folder = Join-Path $Work 'tmp'
        $before = [Environment]::GetEnvironmentVariable('TMPDIR')
        $saved = Enter-TestTempDirectory -Path $folder
        try {
            [IO.Path]::GetTempPath().TrimEnd([IO.Path]::DirectorySeparatorChar) | Should -Be $folder
            $null = New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) 'studio-emulator-123-abc')
        }
        finally {
            $left = Exit-TestTempDirectory -Path $folder -Saved $saved
        }
        @($left) | Should -Be @('studio-emulator-123-abc')
        Test-Path -LiteralPath $folder | Should -BeFalse
        [Environment]::GetEnvironmentVariable('TMPDIR') | Should -Be $before
    }

    It 'reports nothing when the tests cleaned up, whatever the tools left (runtime pipes, empty mkdtemp folders)' {
        $folder = Join-Path $Work 'clean'
        $saved = Enter-TestTempDirectory -Path $folder
        $null = New-Item -ItemType File -Path (Join-Path $folder 'clr-debug-pipe-1-2-in')
        $null = New-Item -ItemType Directory -Path (Join-Path $folder 'x1Y2z3')
        $left = Exit-TestTempDirectory -Path $folder -Saved $saved
        @($left).Count | Should -Be 0
    }
}

Describe 'An emulator started by the tests' {
    It 'keeps its uploads in a folder that Stop-TestEmulator removes, even though it is killed' {
        $emu = Start-TestEmulator
        try {
            $emu.DataDir | Should -Not -BeNullOrEmpty
            Test-Path -LiteralPath $emu.DataDir | Should -BeTrue
        }
        finally {
            Stop-TestEmulator $emu
        }
        Test-Path -LiteralPath $emu.DataDir | Should -BeFalse
    }
}
