# Get-StudioCluster and the HTTP core under it (retries, errors, redaction) against the emulator.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:STUDIOPS_MODULE_PATH -Force
    $null = Enter-IsolatedStudioEnvironment
    $Emu = Start-TestEmulator
    Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team $Emu.Team
    $ClustersPath = '/api/datachain/clusters/'
}

AfterAll {
    Disconnect-Studio
    Stop-TestEmulator $Emu
    Exit-IsolatedStudioEnvironment
}

Describe 'Get-StudioCluster' {
    BeforeEach {
        Clear-EmulatorFault $Emu
        Clear-EmulatorRequest $Emu
        $null = Set-EmulatorOption $Emu @{ wrap_lists = $false }
    }

    It 'lists every cluster as a typed StudioCluster' {
        $clusters = @(Get-StudioCluster)
        $clusters.Count | Should -Be 3
        $clusters[0] | Should -BeOfType 'StudioPS.Models.StudioCluster'
        $default = $clusters | Where-Object Name -eq 'default-cluster'
        $default.Id | Should -Be '1'
        $default.IsDefault | Should -BeTrue
        $default.MaxWorkers | Should -Be 10
        $default.CloudProvider | Should -Be 'AWS'
        (Get-EmulatorRequest $Emu)[0].query | Should -BeLike '*team_name=emulator-team*'
    }

    It 'filters by name with wildcards, case-insensitively' {
        (Get-StudioCluster -Name 'GPU*').Name | Should -Be 'gpu-cluster'
        @(Get-StudioCluster -Name '*-cluster').Count | Should -Be 3
        @(Get-StudioCluster -Name 'default-cluster', 'old-*').Name | Should -Be @('default-cluster', 'old-cluster')
    }

    It 'returns only the default cluster with -Default' {
        (Get-StudioCluster -Default).Name | Should -Be 'default-cluster'
    }

    It 'reports a name that matches no cluster as ObjectNotFound' {
        $result = Get-StudioCluster -Name 'nosuch' -ErrorVariable errs -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Be 'ClusterNotFound,StudioPS.Commands.GetStudioClusterCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'reads the older wrapped list form' {
        $null = Set-EmulatorOption $Emu @{ wrap_lists = $true }
        @(Get-StudioCluster).Count | Should -Be 3
    }

    It 'shows a table with the columns a person wants first' {
        $table = Get-StudioCluster | Format-Table | Out-String
        $table | Should -Match 'Id\s+Name\s+Status\s+Default\s+Cloud\s+Workers'
        $table | Should -Match 'default-cluster\s+ACTIVE\s+yes\s+AWS'
    }

    It 'retries a 503 and succeeds' {
        $null = Add-EmulatorFault $Emu @{ method = 'GET'; path = $ClustersPath; status = 503; count = 2 }
        @(Get-StudioCluster).Count | Should -Be 3
        @(Get-EmulatorRequest $Emu | Where-Object path -eq $ClustersPath).status | Should -Be @(503, 503, 200)
    }

    It 'waits the Retry-After of a 429 and succeeds' {
        $null = Add-EmulatorFault $Emu @{ method = 'GET'; path = $ClustersPath; status = 429; retry_after = '1'; count = 1 }
        $watch = [Diagnostics.Stopwatch]::StartNew()
        @(Get-StudioCluster).Count | Should -Be 3
        $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.95
    }

    It 'retries an aborted connection' {
        $null = Add-EmulatorFault $Emu @{ method = 'GET'; path = $ClustersPath; abort = $true; count = 1 }
        @(Get-StudioCluster).Count | Should -Be 3
    }

    It 'gives up after the retries with ResourceUnavailable and the server''s message' {
        $null = Add-EmulatorFault $Emu @{ method = 'GET'; path = $ClustersPath; status = 503; body = '{"detail":"maintenance window"}'; content_type = 'application/json' }
        $err = { Get-StudioCluster -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'Studio.ServerError,StudioPS.Commands.GetStudioClusterCommand'
        $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $err.Exception.Message | Should -BeLike '*maintenance window*'
        $err.CategoryInfo.Activity | Should -Be "GET $ClustersPath"
        @(Get-EmulatorRequest $Emu).Count | Should -Be 4 -Because 'one call and 3 retries'
    }

    It 'reports malformed JSON as InvalidResult' {
        $null = Add-EmulatorFault $Emu @{ method = 'GET'; path = $ClustersPath; truncate = $true; count = 1 }
        $err = { Get-StudioCluster -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'Studio.InvalidResponse,StudioPS.Commands.GetStudioClusterCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidResult'
    }

    It 'reports a 401 as AuthenticationError' {
        $bad = Connect-Studio -Token 'isat_notAValidTokenAtAll000000' -BaseUri $Emu.Url -Team $Emu.Team -SkipValidation -PassThru
        $err = { Get-StudioCluster -Connection $bad -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.FullyQualifiedErrorId | Should -Be 'Studio.Unauthorized,StudioPS.Commands.GetStudioClusterCommand'
        Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team $Emu.Team
    }

    It 'reports a 403 for a team the token cannot use as PermissionDenied' {
        $err = { Get-StudioCluster -Team 'other-team' -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $err.Exception.Message | Should -BeLike '*Not authorized for the team other-team*'
    }
}

Describe 'The token stays secret' {
    It 'appears in no stream of a -Verbose -Debug run, failing calls included' {
        $null = Add-EmulatorFault $Emu @{ method = 'GET'; path = $ClustersPath; status = 503; count = 1 }
        $transcript = Join-Path ([IO.Path]::GetTempPath()) ("studiops-transcript-" + [guid]::NewGuid() + '.txt')
        $null = Start-Transcript -LiteralPath $transcript
        try {
            $all = & {
                Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team $Emu.Team -Verbose -Debug -PassThru
                Get-StudioCluster -Verbose -Debug
                Get-StudioCluster -Team 'other-team' -Verbose -Debug -ErrorAction Continue
                Get-StudioConnection | Format-List * | Out-String
                try { Connect-Studio -Token ($Emu.Token + 'x') -BaseUri $Emu.Url -Verbose -Debug -ErrorAction Stop } catch { $_; $_.Exception.ToString() }
            } *>&1 | Out-String
        }
        finally {
            $null = Stop-Transcript
        }
        $prefix = $Emu.Token.Substring(0, 9)
        $all | Should -BeLike '*GET*clusters*'
        $all | Should -Not -BeLike "*$prefix*"
        Get-Content -LiteralPath $transcript -Raw | Should -Not -BeLike "*$prefix*"
        Remove-Item -LiteralPath $transcript
        Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team $Emu.Team
    }
}
