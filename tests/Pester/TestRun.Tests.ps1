# What build.ps1 -Task Test does around the suites (tools/TestRun.psm1): -Filter matches in any case in
# both runners, and the tests' temporary folder is checked for leftovers at the end of a run.

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
