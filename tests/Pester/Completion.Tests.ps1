# Tab completion as a console user meets it: TabExpansion2 against the emulator through the default
# connection, and a Studio that does not answer, which must cost at most a moment and print nothing.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:STUDIOPS_MODULE_PATH -Force
    $Folders = Enter-IsolatedStudioEnvironment
    $Emu = Start-TestEmulator -ArgumentList '--speed', '10'
    Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team $Emu.Team

    function Complete([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches
    }
    function Get-ApiRequest([string] $Like) { @(Get-EmulatorRequest $Emu | Where-Object path -like $Like) }
}

AfterAll {
    Disconnect-Studio
    Stop-TestEmulator $Emu
    Exit-IsolatedStudioEnvironment
}

Describe 'Completing -Team' {
    It 'offers the team of the connection, of DATACHAIN_STUDIO_TEAM and of the datachain config, without a request' {
        Set-Content -LiteralPath (Join-Path $Folders.GlobalConfigDir 'config') -Value "[studio]`nteam = `"config-team`""
        $env:DATACHAIN_STUDIO_TEAM = 'env-team'
        Clear-EmulatorRequest $Emu
        try {
            $found = Complete 'Get-StudioJob -Team '
        }
        finally {
            Remove-Item Env:DATACHAIN_STUDIO_TEAM
            Remove-Item -LiteralPath (Join-Path $Folders.GlobalConfigDir 'config')
        }
        @($found.CompletionText) | Should -Be @($Emu.Team, 'env-team', 'config-team')
        Get-ApiRequest '/api/*' | Should -BeNullOrEmpty
    }

    It 'filters by what was typed' {
        @((Complete "Connect-Studio -Team $($Emu.Team.Substring(0, 3))").CompletionText) | Should -Be @($Emu.Team)
    }
}

Describe 'Completing -ClusterName' {
    It 'offers the clusters from Studio with their status and workers in the tooltip' {
        $found = Complete 'New-StudioJob -Query x -ClusterName '
        @($found.CompletionText) | Should -Be @('default-cluster', 'gpu-cluster', 'old-cluster')
        ($found | Where-Object CompletionText -eq 'gpu-cluster').ToolTip | Should -Be 'gpu-cluster — ACTIVE, 4 workers'
        ($found | Where-Object CompletionText -eq 'default-cluster').ToolTip | Should -BeLike '*, default'
    }

    It 'filters by the typed prefix and answers a second time from its cache' {
        $null = Complete 'New-StudioJob -Query x -ClusterName '
        Clear-EmulatorRequest $Emu
        @((Complete 'New-StudioJob -Query x -ClusterName gp').CompletionText) | Should -Be @('gpu-cluster')
        Get-ApiRequest '/api/*clusters*' | Should -BeNullOrEmpty
    }
}

Describe 'Completing a job -Id' {
    BeforeAll {
        $Job = New-StudioJob -Query "print('completion')" -Name completion-job
    }

    It 'offers recent job ids with the name and status in the list and the tooltip' {
        $found = Complete 'Get-StudioJob -Id '
        $match = $found | Where-Object CompletionText -eq $Job.Id
        $match | Should -Not -BeNullOrEmpty
        $match.ListItemText | Should -Match "^$($Job.Id) completion-job [A-Z]+$"
        $match.ToolTip | Should -Match '^completion-job — [A-Z]+ — created \d{4}-\d\d-\d\d'
    }

    It 'completes the same ids for Wait-StudioJob and Get-StudioJobLog, filtered by prefix' {
        $prefix = $Job.Id.Substring(0, 8)
        foreach ($command in 'Wait-StudioJob', 'Get-StudioJobLog') {
            @((Complete "$command -Id $prefix").CompletionText) | Should -Be @($Job.Id) -Because $command
        }
    }

    It 'offers Stop-StudioJob only the jobs that can still be stopped' {
        $running = New-StudioJob -Query "time.sleep(600)" -Name still-running
        $finished = New-StudioJob -Query "print('done')" -Name finished -Wait -InformationAction Ignore
        $finished.Status | Should -Be 'COMPLETE'
        $offered = @((Complete 'Stop-StudioJob -Id ').CompletionText)
        $offered | Should -Contain $running.Id
        $offered | Should -Not -Contain $finished.Id
        $offered | Should -Not -Contain $Job.Id -Because 'the first job has completed as well'
        Stop-StudioJob -Id $running.Id
    }
}

Describe 'Completing -Status' {
    It 'offers job statuses, marking the final ones' {
        $found = Complete 'Get-StudioJob -Status CANCEL'
        @($found.CompletionText) | Should -Be @('CANCELING', 'CANCELED', 'CANCELING_SCHEDULED')
        ($found | Where-Object CompletionText -eq 'CANCELED').ToolTip | Should -Be 'CANCELED (final)'
    }

    It 'offers pipeline statuses' {
        @((Complete 'Get-StudioPipeline -Status P').CompletionText) | Should -Be @('PENDING', 'PAUSED')
    }
}

Describe 'Completing a pipeline -Name' {
    BeforeAll {
        $Pipeline = Invoke-StudioPipeline -Dataset '@emulator.demo.features'
    }

    It 'offers the recent pipelines with status, progress and dataset in the tooltip' {
        $found = Complete 'Wait-StudioPipeline -Name '
        $match = $found | Where-Object CompletionText -eq $Pipeline.Name
        $match | Should -Not -BeNullOrEmpty
        $match.ToolTip | Should -Match "^$([regex]::Escape($Pipeline.Name)) — [A-Z]+ \d+/\d+ — @emulator\.demo\.features"
        foreach ($command in 'Show-StudioPipeline', 'Suspend-StudioPipeline', 'Resume-StudioPipeline') {
            @((Complete "$command -Name $($Pipeline.Name)").CompletionText) | Should -Contain $Pipeline.Name -Because $command
        }
    }
}

Describe 'Completion before any Connect-Studio' {
    It 'connects from the DATACHAIN_STUDIO_* variables as a cmdlet would, and offers job ids' {
        $null = New-StudioJob -Query "print('for completion')" -Name 'implicit-completion'
        Disconnect-Studio
        $env:DATACHAIN_STUDIO_TOKEN = $Emu.Token
        $env:DATACHAIN_STUDIO_URL = $Emu.Url
        $env:DATACHAIN_STUDIO_TEAM = $Emu.Team
        try {
            $found = @(Complete 'Get-StudioJob -Id ' | Where-Object ResultType -eq 'ParameterValue')
            # The list may come from the completer's 30 s cache, but only once a connection exists.
            $found.Count | Should -BeGreaterThan 0
            $known = @(Get-StudioJob -First 100).Id
            $found.CompletionText | ForEach-Object { $_ | Should -BeIn $known }
            (Get-StudioConnection).TokenSource | Should -Be 'Environment'
        }
        finally {
            Remove-Item Env:DATACHAIN_STUDIO_TOKEN, Env:DATACHAIN_STUDIO_URL, Env:DATACHAIN_STUDIO_TEAM
            Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team $Emu.Team
        }
    }
}

Describe 'Completion when Studio does not answer' {
    BeforeAll {
        # Accepts connections and never answers: a request waits until the completer gives up.
        $Silent = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $Silent.Start()
        $SilentUrl = 'http://127.0.0.1:{0}' -f $Silent.LocalEndpoint.Port
    }

    AfterAll {
        $Silent.Stop()
        Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team $Emu.Team
    }

    It 'returns no suggestion within a few seconds and writes no error, for every Studio-backed completer' {
        Connect-Studio -Token 'isat_silent' -BaseUri $SilentUrl -Team silent-team -SkipValidation
        $errorsBefore = $Error.Count
        foreach ($line in 'New-StudioJob -Query x -ClusterName ', 'Get-StudioJob -Id ', 'Get-StudioPipeline -Name ') {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $found = Complete $line
            $watch.Stop()
            @($found | Where-Object ResultType -eq 'ParameterValue') | Should -BeNullOrEmpty -Because $line
            # The completer gives up after 2 s; the rest is slack for a loaded machine, far below the 100 s time-out.
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 6 -Because "completing '$line' must not hold the console"
        }
        $Error.Count | Should -Be $errorsBefore
    }

    It 'returns at once with nothing when no connection exists' {
        Disconnect-Studio
        $watch = [Diagnostics.Stopwatch]::StartNew()
        @(Complete 'Get-StudioJob -Id ' | Where-Object ResultType -eq 'ParameterValue') | Should -BeNullOrEmpty
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 2 -Because 'with no connection there is nothing to wait for'
    }
}
