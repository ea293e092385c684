# Signing in and out like `datachain auth`: the device sign-in, saved tokens, revoking, the default team
# and the token for other tools, against the emulator. Every test runs in fresh, empty config folders.

BeforeAll {
    $SupportPath = Join-Path $PSScriptRoot 'TestSupport.psm1'
    Import-Module $SupportPath -Force
    Import-Module $env:STUDIOPS_MODULE_PATH -Force
    $Emu = Start-TestEmulator

    # Approves (or expires) the next pending sign-in from a thread, as the person in the browser would.
    function Start-Approver {
        param([switch] $Expire)
        Start-ThreadJob -ArgumentList $SupportPath, $Emu, $Expire.IsPresent -ScriptBlock {
            param($support, $emulator, $expire)
            Import-Module $support
            Complete-EmulatorDeviceLogin -Emulator $emulator -Expire:$expire -TimeoutSec 60
        }
    }

    function Get-ClosedPortUrl {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $listener.Stop()
        "http://127.0.0.1:$port"
    }
}

AfterAll {
    Disconnect-Studio
    Stop-TestEmulator $Emu
}

Describe 'Signing in and out' {
    BeforeEach {
        $script:Folders = Enter-IsolatedStudioEnvironment
        $script:GlobalConfig = Join-Path $Folders.GlobalConfigDir 'config'
        Disconnect-Studio
        Reset-Emulator $Emu
        Set-EmulatorDeviceLogin $Emu -IntervalSec 0.05
        $script:Approvers = @()
    }

    AfterEach {
        foreach ($job in $script:Approvers) { $job | Remove-Job -Force }
        Disconnect-Studio
        Exit-IsolatedStudioEnvironment
    }

    Describe 'Connect-Studio -UseDeviceCode' {
        It 'shows the address and code on the information stream, waits for approval and connects with the new token' {
            $script:Approvers = @(Start-Approver)
            $connection = Connect-Studio -UseDeviceCode -NoBrowser -BaseUri $Emu.Url -Team $Emu.Team -PassThru -InformationVariable info
            $approval = $script:Approvers[0] | Wait-Job -Timeout 60 | Receive-Job

            $connection.TokenSource | Should -Be 'DeviceLogin'
            $connection.Validated | Should -BeTrue
            $connection.MaskedToken | Should -BeLike 'isat_*'
            $connection.MaskedToken | Should -BeLike ('*' + $approval.Token.Substring($approval.Token.Length - 4))
            @(Get-StudioCluster).Count | Should -Be 3
            $message = ($info | Where-Object Tags -Contains 'StudioPS.DeviceCode').MessageData.Message
            $message | Should -BeLike "*$($Emu.Url)/auth/device?code=$($approval.UserCode)*"
            $message | Should -BeLike "*approve the code $($approval.UserCode)*"
            $start = @(Get-EmulatorRequest $Emu)[0]
            $start.method | Should -Be 'POST'
            $start.path | Should -Be '/api/device-login'
            $start.auth_scheme | Should -BeNullOrEmpty
            @(Get-EmulatorDeviceLogin $Emu)[0].expires_in_days | Should -Be 365 -Because 'without -ExpiresInDays the lifetime is the official CLI''s default'
        }

        It 'sends the token name, scopes and lifetime, and fails with Studio.DeviceLoginTimedOut after -TimeoutSec' {
            $err = { Connect-Studio -UseDeviceCode -NoBrowser -BaseUri $Emu.Url -TokenName 'ci laptop' -Scope job, Cluster -ExpiresInDays 30 -TimeoutSec 1 6>$null } |
                Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'Studio.DeviceLoginTimedOut,*'
            $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
            $login = @(Get-EmulatorDeviceLogin $Emu)[0]
            $login.token_name | Should -Be 'ci laptop'
            $login.scopes | Should -Be @('JOB', 'CLUSTER')
            $login.expires_in_days | Should -Be 30
            $login.polls | Should -BeGreaterThan 0
            { Get-StudioConnection } | Should -Throw -ErrorId 'TokenNotFound,*' -Because 'no default connection is left, and none can be made without a token'
        }

        It 'fails with Studio.DeviceCodeExpired when the code expires and leaves no connection' {
            $script:Approvers = @(Start-Approver -Expire)
            $err = { Connect-Studio -UseDeviceCode -NoBrowser -BaseUri $Emu.Url 6>$null } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'Studio.DeviceCodeExpired,*'
            $err.Exception.Message | Should -BeLike '*expired before it was approved*'
            { Get-StudioConnection } | Should -Throw -ErrorId 'TokenNotFound,*' -Because 'no default connection is left, and none can be made without a token'
        }

        It 'returns at once on Ctrl+C while it waits for approval' {
            Set-EmulatorDeviceLogin $Emu -IntervalSec 60
            $shell = [PowerShell]::Create()
            try {
                $null = $shell.AddScript("Import-Module '$env:STUDIOPS_MODULE_PATH'; Connect-Studio -UseDeviceCode -NoBrowser -BaseUri '$($Emu.Url)'")
                $pending = $shell.BeginInvoke()
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                while (@(Get-EmulatorDeviceLogin $Emu | Where-Object polls -ge 1).Count -eq 0 -and [DateTime]::UtcNow -lt $deadline) {
                    Start-Sleep -Milliseconds 50
                }
                $watch = [Diagnostics.Stopwatch]::StartNew()
                $shell.Stop()
                $watch.Elapsed.TotalSeconds | Should -BeLessThan 10 -Because 'the 60 s wait between polls must not hold Ctrl+C'
                $pending.IsCompleted | Should -BeTrue
                $shell.InvocationStateInfo.State | Should -Be 'Stopped'
            }
            finally {
                $shell.Dispose()
            }
        }

        It 'checks -Scope before anything is sent' {
            $err = { Connect-Studio -UseDeviceCode -NoBrowser -BaseUri $Emu.Url -Scope job, admin } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'InvalidScope,*'
            $err.Exception.Message | Should -BeLike "*-Scope 'admin'*"
            @(Get-EmulatorRequest $Emu).Count | Should -Be 0
        }

        It 'asks for -UseDeviceCode when only its companions are given' {
            $err = { Connect-Studio -NoBrowser -BaseUri $Emu.Url } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'DeviceCodeParameterWithoutSignIn,*'
            @(Get-EmulatorRequest $Emu).Count | Should -Be 0
        }

        It 'never opens a browser in a hosted runspace, as a runbook runs in' {
            $shell = [PowerShell]::Create()
            try {
                $null = $shell.AddScript("Import-Module '$env:STUDIOPS_MODULE_PATH'; " +
                    "try { Connect-Studio -UseDeviceCode -BaseUri '$($Emu.Url)' -TimeoutSec 1 -Verbose 4>&1 } catch { 'ERROR: ' + `$_.FullyQualifiedErrorId }")
                $output = @($shell.Invoke() | ForEach-Object { "$_" })
                $output | Should -Contain "Not opening a browser: the PowerShell host 'Default Host' is not an interactive console (a runbook, job or hosted runspace)."
                $output[-1] | Should -BeLike 'ERROR: Studio.DeviceLoginTimedOut*'
            }
            finally {
                $shell.Dispose()
            }
        }

        It 'never opens a browser in a non-interactive session' {
            $script = "Import-Module '$env:STUDIOPS_MODULE_PATH'; " +
                "try { Connect-Studio -UseDeviceCode -BaseUri '$($Emu.Url)' -TimeoutSec 1 -Verbose 4>&1 6>&1 | ForEach-Object { 'RECORD: ' + `$_ } } " +
                "catch { 'ERROR: ' + `$_.FullyQualifiedErrorId }"
            $run = Invoke-ChildPowerShell -Command $script
            ($run.Output -join "`n") | Should -Match 'Not opening a browser: (PowerShell runs with -NonInteractive|.*not interactive|the console input is redirected|there is no desktop)'
            ($run.Output -join "`n") | Should -Match 'RECORD: To sign in to Studio at .* approve the code'
        ($run.Output -join "`n") | Should -Match 'ERROR: Studio.DeviceLoginTimedOut'
        }
    }

    Describe 'Connect-Studio -Save' {
        It 'writes url, token and team to the global config, owner-only, and the module reads them back' {
            $script:Approvers = @(Start-Approver)
            Connect-Studio -UseDeviceCode -NoBrowser -BaseUri $Emu.Url -Team $Emu.Team -Save 6>$null
            $approval = $script:Approvers[0] | Wait-Job -Timeout 60 | Receive-Job

            Test-Path -LiteralPath $GlobalConfig | Should -BeTrue
            if (-not $IsWindows) {
                (Get-Item -LiteralPath $GlobalConfig).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
            }
            Get-Content -LiteralPath $GlobalConfig | Should -Be @('[studio]', "url = `"$($Emu.Url)`"", "token = `"$($approval.Token)`"", "team = `"$($Emu.Team)`"")

            Disconnect-Studio
            $again = Connect-Studio -PassThru
            $again.TokenSource | Should -Be 'ConfigFile'
            $again.TokenSourcePath | Should -Be $GlobalConfig
            $again.TeamSourcePath | Should -Be $GlobalConfig
            $again.BaseUriSourcePath | Should -Be $GlobalConfig
            Get-StudioAccessToken -AsPlainText | Should -Be $approval.Token
        }

        It 'keeps every other section, key and comment of the file' {
            $before = @('# my settings', '[core]', 'remote = "s3://bucket"  # kept', '', '[studio]', 'other = 1  # mine', '', '[studio.extra]', 'x = "y"')
            Set-Content -LiteralPath $GlobalConfig -Value $before
            Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Save

            Get-Content -LiteralPath $GlobalConfig | Should -Be @('# my settings', '[core]', 'remote = "s3://bucket"  # kept', '',
                '[studio]', 'other = 1  # mine', "url = `"$($Emu.Url)`"", "token = `"$($Emu.Token)`"", '', '[studio.extra]', 'x = "y"')
        }

        It 'refuses before signing in when a token for the same Studio is saved, and replaces it with -Force' {
            Set-Content -LiteralPath $GlobalConfig -Value @('[studio]', "url = `"$($Emu.Url)`"", 'token = "isat_alreadysaved0000000"')
            # -TimeoutSec bounds a regression: without the refusal the sign-in would wait for a code nobody approves.
            $err = { Connect-Studio -UseDeviceCode -NoBrowser -Save -TimeoutSec 5 } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'TokenAlreadySaved,*'
            $err.CategoryInfo.Category | Should -Be 'ResourceExists'
            $err.Exception.Message | Should -Not -BeLike '*isat_alreadysaved*'
            @(Get-EmulatorRequest $Emu).Count | Should -Be 0 -Because 'the check comes before the sign-in starts'

            Connect-Studio -Token $Emu.Token -Save -Force
            (Get-Content -LiteralPath $GlobalConfig) | Should -Contain "token = `"$($Emu.Token)`""
        }

        It 'saves to the project''s file with -ConfigScope Local' {
            Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Save -ConfigScope Local
            $local = Join-Path $Folders.DataChainDir 'config'
            Get-Content -LiteralPath $local | Should -Contain "token = `"$($Emu.Token)`""
            Test-Path -LiteralPath $GlobalConfig | Should -BeFalse
        }
    }

    Describe 'Disconnect-Studio -Revoke' {
        BeforeEach {
            Set-Content -LiteralPath $GlobalConfig -Value @('# mine', '[studio]', "url = `"$($Emu.Url)`"", "token = `"$($Emu.Token)`"", "team = `"$($Emu.Team)`"")
        }

        It 'revokes the saved token, removes token and team from the file, and the token then gets 401' {
            Connect-Studio
            Disconnect-Studio -Revoke

            Get-Content -LiteralPath $GlobalConfig | Should -Be @('# mine', '[studio]', "url = `"$($Emu.Url)`"")
            $logout = @(Get-EmulatorRequest $Emu | Where-Object path -eq '/api/device-logout')
            $logout.Count | Should -Be 1
            $logout[0].status | Should -Be 200
            { Get-StudioConnection } | Should -Throw -ErrorId 'TokenNotFound,*' -Because 'no default connection is left, and none can be made without a token'
            $err = { Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'Studio.Unauthorized,*'
        }

        It 'warns on 401 (already revoked) and removes the token anyway' {
            Set-Content -LiteralPath $GlobalConfig -Value @('[studio]', "url = `"$($Emu.Url)`"", 'token = "isat_revokedalready00000"', 'team = "t"')
            Disconnect-Studio -Revoke -WarningVariable warnings 3>$null
            $warnings.Count | Should -Be 1
            "$($warnings[0])" | Should -BeLike '*already revoked*'
            Get-Content -LiteralPath $GlobalConfig | Should -Be @('[studio]', "url = `"$($Emu.Url)`"")
        }

        It 'fails on a server error and keeps the file' {
            $before = Get-Content -LiteralPath $GlobalConfig -Raw
            $null = Add-EmulatorFault $Emu @{ method = 'POST'; path = '/api/device-logout'; status = 500; count = 5 }
            $err = { Disconnect-Studio -Revoke } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'Studio.ServerError,*'
            $err.ErrorDetails.Message | Should -BeLike '*stays saved*'
            Get-Content -LiteralPath $GlobalConfig -Raw | Should -Be $before
        }

        It 'fails when Studio does not answer and keeps the file' {
            Set-Content -LiteralPath $GlobalConfig -Value @('[studio]', "url = `"$(Get-ClosedPortUrl)`"", "token = `"$($Emu.Token)`"")
            $before = Get-Content -LiteralPath $GlobalConfig -Raw
            $err = { Disconnect-Studio -Revoke } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'Studio.ConnectionFailed,*'
            Get-Content -LiteralPath $GlobalConfig -Raw | Should -Be $before
        }

        It 'sends nothing and keeps the file with -WhatIf; without -Revoke it only closes the session' {
            $before = Get-Content -LiteralPath $GlobalConfig -Raw
            Disconnect-Studio -Revoke -WhatIf
            Disconnect-Studio
            @(Get-EmulatorRequest $Emu).Count | Should -Be 0
            Get-Content -LiteralPath $GlobalConfig -Raw | Should -Be $before
        }

        It 'says there is nothing to revoke at a level without a token' {
            $err = { Disconnect-Studio -Revoke -ConfigScope Local } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'NoSavedToken,*'
            @(Get-EmulatorRequest $Emu).Count | Should -Be 0
        }
    }

    Describe 'Set-StudioDefaultTeam and Get-StudioDefaultTeam' {
        It 'saves the team at a level, keeps the token, and shows where the team comes from' {
            Set-Content -LiteralPath $GlobalConfig -Value @('[studio]', 'token = "isat_keepme000000000000"')
            $set = Set-StudioDefaultTeam -Name $Emu.Team -PassThru
            $set.Value | Should -Be $Emu.Team
            Get-Content -LiteralPath $GlobalConfig | Should -Be @('[studio]', 'token = "isat_keepme000000000000"', "team = `"$($Emu.Team)`"")

            $shown = Get-StudioDefaultTeam
            $shown.Value | Should -Be $Emu.Team
            $shown.Source | Should -Be 'ConfigFile'
            $shown.Path | Should -Be $GlobalConfig

            Set-StudioDefaultTeam other-team -ConfigScope Local
            (Get-StudioDefaultTeam).Value | Should -Be 'other-team' -Because 'the local file wins over the global one'
            (Get-StudioDefaultTeam -ConfigScope Global).Value | Should -Be $Emu.Team

            $env:DATACHAIN_STUDIO_TEAM = 'env-team'
            $fromEnvironment = Get-StudioDefaultTeam
            $fromEnvironment.Source | Should -Be 'Environment'
            $fromEnvironment.Path | Should -Be 'DATACHAIN_STUDIO_TEAM'
        }

        It 'takes the team from Get-StudioDefaultTeam through the pipeline' {
            Set-StudioDefaultTeam -Name $Emu.Team
            Get-StudioDefaultTeam -ConfigScope Global | Set-StudioDefaultTeam -ConfigScope Local
            (Get-StudioDefaultTeam -ConfigScope Local).Value | Should -Be $Emu.Team
        }

        It 'checks the name and changes nothing with -WhatIf' {
            { Set-StudioDefaultTeam -Name 'bad team' } | Should -Throw -ErrorId 'InvalidTeam,*'
            Set-StudioDefaultTeam -Name t -WhatIf
            Test-Path -LiteralPath $GlobalConfig | Should -BeFalse
            Get-StudioDefaultTeam | Should -BeNullOrEmpty
        }
    }

    Describe 'Get-StudioConnection' {
        It 'says where each setting came from: the address from a config file, the team from the environment, the token from a config file, a parameter or the device sign-in' {
            Set-Content -LiteralPath $GlobalConfig -Value @('[studio]', "url = `"$($Emu.Url)`"", "token = `"$($Emu.Token)`"")
            $env:DATACHAIN_STUDIO_TEAM = $Emu.Team

            # No connection made yet: the one the environment and the config give.
            $implicit = Get-StudioConnection
            ($implicit.BaseUriSource, $implicit.BaseUriSourcePath) | Should -Be @('ConfigFile', $GlobalConfig)
            ($implicit.TeamSource, $implicit.TeamSourcePath) | Should -Be @('Environment', 'DATACHAIN_STUDIO_TEAM')
            ($implicit.TokenSource, $implicit.TokenSourcePath) | Should -Be @('ConfigFile', $GlobalConfig)

            Connect-Studio -Token $Emu.Token
            $listing = (Get-StudioConnection | Format-List | Out-String -Width 400) -replace '\e\[[0-9;]*m' -split "`r?`n" | ForEach-Object { $_.TrimEnd() }
            $listing | Should -Contain "BaseUriFrom : ConfigFile ($GlobalConfig)"
            $listing | Should -Contain 'TeamFrom    : Environment (DATACHAIN_STUDIO_TEAM)'
            $listing | Should -Contain 'TokenFrom   : Parameter'

            $script:Approvers = @(Start-Approver)
            Connect-Studio -UseDeviceCode -NoBrowser 6>$null
            $null = $script:Approvers[0] | Wait-Job -Timeout 60
            $signedIn = (Get-StudioConnection | Format-List | Out-String -Width 400) -replace '\e\[[0-9;]*m' -split "`r?`n" | ForEach-Object { $_.TrimEnd() }
            $signedIn | Should -Contain 'TokenFrom   : DeviceLogin'
            $signedIn | Should -Contain "BaseUriFrom : ConfigFile ($GlobalConfig)"
        }
    }

    Describe 'Get-StudioAccessToken' {
        It 'returns the saved token as a SecureString, and as text only with -AsPlainText' {
            Set-Content -LiteralPath $GlobalConfig -Value @('[studio]', "token = `"$($Emu.Token)`"")
            $secure = Get-StudioAccessToken
            $secure | Should -BeOfType ([securestring])
            [System.Net.NetworkCredential]::new('', $secure).Password | Should -Be $Emu.Token
            Get-StudioAccessToken -AsPlainText | Should -Be $Emu.Token
            Get-StudioAccessToken -ConfigScope Global -AsPlainText | Should -Be $Emu.Token
        }

        It 'fails with NoSavedToken when none is saved' {
            { Get-StudioAccessToken } | Should -Throw -ErrorId 'NoSavedToken,*'
        }
    }
}
