# The fast part of the reliability suite (tests/Reliability): the same property checks as
# build.ps1 -Task Reliability, at sizes that fit the normal test run. The hostile-response property
# is the xunit HostileResponseTests, which the test run already includes.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:STUDIOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot '../Reliability/Reliability.psm1') -Force
    $null = Enter-IsolatedStudioEnvironment
    $Emu = Start-TestEmulator
    $ProgressPreference = 'SilentlyContinue'
}

AfterAll {
    Disconnect-Studio
    Stop-TestEmulator $Emu
    Exit-IsolatedStudioEnvironment
}

Describe 'Reliability (fast part)' {
    It 'the token reaches no origin but Studio''s own: redirects with retries, a proxy, a project''s config, completion, blobs' {
        $result = Test-TokenConfinement -Emulator $Emu -ModulePath $env:STUDIOPS_MODULE_PATH
        $result.Figure | Should -Match 'token-to-other-origin=0 proxy-connections=0 project-url-requests=0'
        $result.Pass | Should -BeTrue -Because $result.Figure
    }

    It 'a hostile server (slow and huge bodies, huge frames, a deep graph, bad schemes) gets a clear error in time, never a hang or a crash' {
        $result = Test-HostileServerII -Emulator $Emu -ModulePath $env:STUDIOPS_MODULE_PATH
        $result.Figure | Should -Match 'hangs=0 crashes=0 unclear=0'
        $result.Pass | Should -BeTrue -Because $result.Figure
    }

    It 'every read succeeds with 20% of requests failing transiently' {
        $result = Test-ReadsUnderFaults -Emulator $Emu -Count 90
        $result.Figure | Should -Match 'failed=0 '
        $result.Pass | Should -BeTrue -Because $result.Figure
    }

    It 'no job creation or cancel is duplicated or silently lost under faults before and after the server acts' {
        $result = Test-WritesUnderFaults -Emulator $Emu -Creates 40 -Cancels 10
        $result.Figure | Should -Match 'duplicates=0 silent-losses=0 .*cancel-losses=0'
        $result.Pass | Should -BeTrue -Because $result.Figure
    }

    It 'an aborted upload is an error and leaves no file ready' {
        $result = Test-UploadsUnderAbort -Emulator $Emu -Count 4
        $result.Figure | Should -Be 'uploads=4 errors=4 ready-files-left=0'
        $result.Pass | Should -BeTrue
    }

    It 'Stop ends a blocked call, a wait, a log follow, an upload and a dataset save within 1 s with nothing left running or written' {
        $result = Test-Cancellation -Emulator $Emu -ModulePath $env:STUDIOPS_MODULE_PATH
        $result.Figure | Should -Match '^silent-server=\d+ms wait=\d+ms follow=\d+ms upload=\d+ms save=\d+ms$'
        $result.Pass | Should -BeTrue -Because $result.Figure
    }

    It 'the token appears in no stream, error, transcript or connection listing' {
        $result = Test-Secrets -Emulator $Emu
        $result.Figure | Should -Match 'token-prefix-hits=0$'
        $result.Pass | Should -BeTrue -Because $result.Figure
    }

    It 'at least 40 bad inputs each give a fitting ErrorRecord naming the parameter and send nothing' {
        $result = Test-BadInput -Emulator $Emu
        $result.Figure | Should -Match 'wrong=0 requests-sent=0$'
        $result.Pass | Should -BeTrue -Because $result.Figure
    }

    It 'a followed log through socket drops has every line once, in order' {
        $result = Test-LongLogFollow -Emulator $Emu -Lines 400 -IntervalMs 15 -DropEveryMs 1000 -MinimumDrops 2
        $result.Figure | Should -Match 'missing=0 repeated=0 in-order=True'
        $result.Pass | Should -BeTrue -Because $result.Figure
    }
}
