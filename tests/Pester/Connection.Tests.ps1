# Connect-Studio, Get-StudioConnection and Disconnect-Studio against the emulator, as a user runs them.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:STUDIOPS_MODULE_PATH -Force
    $Emu = Start-TestEmulator
}

AfterAll {
    Disconnect-Studio
    Stop-TestEmulator $Emu
}

Describe 'Connect-Studio' {
    BeforeEach {
        $script:Folders = Enter-IsolatedStudioEnvironment
        Disconnect-Studio
        Clear-EmulatorRequest $Emu
    }
    AfterEach {
        Disconnect-Studio
        Exit-IsolatedStudioEnvironment
    }

    It 'connects with a token given as a plain string and validates it with one call' {
        $connection = Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team $Emu.Team -PassThru

        $connection.Validated | Should -BeTrue
        $connection.TokenSource | Should -Be 'Parameter'
        $connection.Team | Should -Be $Emu.Team
        $connection.BaseUri.AbsoluteUri | Should -Be ($Emu.Url.TrimEnd('/') + '/')
        $requests = @(Get-EmulatorRequest $Emu)
        $requests.Count | Should -Be 1
        $requests[0].auth_scheme | Should -Be 'Bearer'
    }

    It 'connects with a SecureString token' {
        $secure = ConvertTo-SecureString $Emu.Token -AsPlainText -Force
        (Connect-Studio -Token $secure -BaseUri $Emu.Url -Team $Emu.Team -PassThru).Validated | Should -BeTrue
    }

    It 'sends the official client''s "token" scheme with -AuthScheme Token' {
        Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team $Emu.Team -AuthScheme Token
        (@(Get-EmulatorRequest $Emu))[0].auth_scheme | Should -Be 'token'
    }

    It 'takes token, team and URL from the DATACHAIN_STUDIO_* environment variables' {
        $env:DATACHAIN_STUDIO_TOKEN = $Emu.Token
        $env:DATACHAIN_STUDIO_TEAM = $Emu.Team
        $env:DATACHAIN_STUDIO_URL = $Emu.Url
        $connection = Connect-Studio -PassThru

        $connection.TokenSource | Should -Be 'Environment'
        $connection.TokenSourcePath | Should -Be 'DATACHAIN_STUDIO_TOKEN'
        $connection.Team | Should -Be $Emu.Team
        $connection.Validated | Should -BeTrue
    }

    It 'takes them from the datachain TOML config a "datachain auth login" wrote' {
        $config = Join-Path $Folders.GlobalConfigDir 'config'
        Set-Content -LiteralPath $config -Value @"
[studio]
url = "$($Emu.Url)"
token = "$($Emu.Token)"
team = "$($Emu.Team)"
"@
        $connection = Connect-Studio -PassThru

        $connection.TokenSource | Should -Be 'ConfigFile'
        $connection.TokenSourcePath | Should -Be $config
        $connection.Team | Should -Be $Emu.Team
        $connection.Validated | Should -BeTrue
    }

    It 'lets a parameter win over the environment' {
        $env:DATACHAIN_STUDIO_TOKEN = 'isat_fromTheEnvironmentButWrong000'
        $env:DATACHAIN_STUDIO_TEAM = 'other-team'
        $connection = Connect-Studio -Token $Emu.Token -Team $Emu.Team -BaseUri $Emu.Url -PassThru
        $connection.TokenSource | Should -Be 'Parameter'
        $connection.Team | Should -Be $Emu.Team
    }

    It 'rejects an unknown token with an AuthenticationError naming where it came from' {
        $env:DATACHAIN_STUDIO_TOKEN = 'isat_unknownTokenValue0000000000wxyz'
        $err = { Connect-Studio -BaseUri $Emu.Url -Team $Emu.Team -ErrorAction Stop } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -Be 'Studio.Unauthorized,StudioPS.Commands.ConnectStudioCommand'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -BeLike '*did not accept the token isat_****wxyz from the environment variable DATACHAIN_STUDIO_TOKEN*Invalid token.*'
        $err.Exception.Message | Should -Not -BeLike '*unknownToken*'
        $fromParameter = { Connect-Studio -Token 'isat_anotherUnknownToken000000klmn' -BaseUri $Emu.Url -Team $Emu.Team -ErrorAction Stop } | Should -Throw -PassThru
        $fromParameter.Exception.Message | Should -BeLike '*did not accept the token isat_****klmn from the -Token parameter. Studio said: Invalid token. Check the token*'
        # No validated connection was kept: the next cmdlet connects implicitly (unvalidated) instead.
        (Get-StudioConnection).Validated | Should -BeFalse
    }

    It 'rejects a team the token may not use with PermissionDenied' {
        $err = { Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team 'other-team' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'Studio.Forbidden,StudioPS.Commands.ConnectStudioCommand'
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $err.Exception.Message | Should -BeLike "*no access to team 'other-team'*Studio said: Not authorized for the team other-team. Check -Team*"
    }

    It 'says the host is unreachable with a ConnectionError' {
        $err = { Connect-Studio -Token $Emu.Token -BaseUri 'http://127.0.0.1:1' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'Studio.ConnectionFailed,StudioPS.Commands.ConnectStudioCommand'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.Exception.Message | Should -BeLike '*Could not connect to 127.0.0.1:1*'
    }

    It 'refuses plain http to another host before sending anything' {
        $err = { Connect-Studio -Token $Emu.Token -BaseUri 'http://studio.example.com' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'UnencryptedAuthentication,StudioPS.Commands.ConnectStudioCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -BeLike '*-AllowUnencryptedAuthentication*'
    }

    It 'refuses a base URI with a path, naming the parameter' {
        $err = { Connect-Studio -Token $Emu.Token -BaseUri "$($Emu.Url)/team/x" -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'InvalidBaseUri,StudioPS.Commands.ConnectStudioCommand'
        $err.Exception.Message | Should -BeLike 'BaseUri*has a path*'
        @(Get-EmulatorRequest $Emu).Count | Should -Be 0
    }

    It 'fails clearly when no token exists anywhere' {
        $err = { Connect-Studio -BaseUri $Emu.Url -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'TokenNotFound,StudioPS.Commands.ConnectStudioCommand'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -BeLike '*DATACHAIN_STUDIO_TOKEN*datachain auth login*'
    }

    It 'sends nothing with -SkipValidation' {
        $connection = Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -SkipValidation -PassThru
        $connection.Validated | Should -BeFalse
        @(Get-EmulatorRequest $Emu).Count | Should -Be 0
    }
}

Describe 'Get-StudioConnection' {
    BeforeAll { $null = Enter-IsolatedStudioEnvironment }
    AfterAll { Exit-IsolatedStudioEnvironment }

    It 'shows where the token came from and masks it to isat_**** and its last 4 characters' {
        Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team $Emu.Team
        $connection = Get-StudioConnection

        $connection.MaskedToken | Should -Be ('isat_****' + $Emu.Token.Substring($Emu.Token.Length - 4))
        $connection.AuthScheme | Should -Be 'Bearer'
        $listing = Get-StudioConnection | Format-List * | Out-String
        $listing | Should -Not -BeLike ('*' + $Emu.Token.Substring(0, 9) + '*')
        $listing | Should -BeLike '*MaskedToken*isat_*'
        ($connection | Format-List | Out-String) | Should -BeLike '*TokenFrom*Parameter*'
    }

    It 'connects implicitly from the environment when no Connect-Studio was made' {
        Disconnect-Studio
        $env:DATACHAIN_STUDIO_TOKEN = $Emu.Token
        $env:DATACHAIN_STUDIO_URL = $Emu.Url
        $env:DATACHAIN_STUDIO_TEAM = $Emu.Team
        try {
            $clusters = @(Get-StudioCluster)
            $clusters.Count | Should -BeGreaterThan 0
            (Get-StudioConnection).TokenSource | Should -Be 'Environment'
        }
        finally {
            Remove-Item Env:DATACHAIN_STUDIO_TOKEN, Env:DATACHAIN_STUDIO_URL, Env:DATACHAIN_STUDIO_TEAM
        }
    }
}

Describe 'Disconnect-Studio' {
    It 'forgets the default connection and closes it' {
        $connection = Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team $Emu.Team -PassThru
        Disconnect-Studio
        $connection.IsDisposed | Should -BeTrue
        $err = { Get-StudioCluster -Connection $connection -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'ConnectionClosed,StudioPS.Commands.GetStudioClusterCommand'
    }

    It 'is safe to call when nothing is connected' {
        { Disconnect-Studio; Disconnect-Studio } | Should -Not -Throw
    }
}

Describe 'The default connection across runspaces' {
    It 'serves ForEach-Object -Parallel and thread jobs without a new Connect-Studio' {
        $null = Enter-IsolatedStudioEnvironment
        try {
            Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team $Emu.Team
            $module = $env:STUDIOPS_MODULE_PATH
            $counts = 1..8 | ForEach-Object -ThrottleLimit 4 -Parallel {
                Import-Module $using:module
                @(Get-StudioCluster).Count
            }
            $counts | Should -Be @(3, 3, 3, 3, 3, 3, 3, 3)
            $job = Start-ThreadJob { Import-Module $using:module; (Get-StudioConnection).MaskedToken }
            $job | Wait-Job -Timeout 60 | Receive-Job | Should -Be (Get-StudioConnection).MaskedToken
            $job | Remove-Job
        }
        finally {
            Exit-IsolatedStudioEnvironment
        }
    }
}

Describe 'Two connections in one script' {
    It 'uses the connection passed to -Connection, not the default' {
        $other = Start-TestEmulator
        try {
            $first = Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team $Emu.Team -PassThru
            $second = Connect-Studio -Token $other.Token -BaseUri $other.Url -Team $other.Team -PassThru
            Clear-EmulatorRequest $Emu
            Clear-EmulatorRequest $other

            $null = Get-StudioCluster -Connection $first
            @(Get-EmulatorRequest $Emu).Count | Should -Be 1
            @(Get-EmulatorRequest $other).Count | Should -Be 0
            $first.IsDisposed | Should -BeFalse -Because 'a connection the caller holds is not closed when another becomes the default'
            $second.Team | Should -Be $other.Team
        }
        finally {
            Stop-TestEmulator $other
        }
    }
}

Describe 'Connect-Studio: a missing team, and the rule for failures' {
    BeforeEach {
        $null = Enter-IsolatedStudioEnvironment
        Disconnect-Studio
    }
    AfterEach {
        Disconnect-Studio
        Exit-IsolatedStudioEnvironment
    }

    It 'warns when no team is known from any source, and still connects' {
        $connection = Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -PassThru -WarningVariable warnings -WarningAction SilentlyContinue
        $connection.Team | Should -BeNullOrEmpty
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike 'No team is set:*-Team*DATACHAIN_STUDIO_TEAM*'
    }

    It 'does not warn about the team when one is known' {
        $env:DATACHAIN_STUDIO_TEAM = $Emu.Team
        Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -WarningVariable warnings
        @($warnings).Count | Should -Be 0
    }

    It 'leaves the previous default connection in use after a refused token, and says so' {
        Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team $Emu.Team
        $before = Get-StudioConnection
        $err = $null
        try { Connect-Studio -Token 'isat_NotTheRightToken0000000000' -BaseUri $Emu.Url -Team $Emu.Team -ErrorAction Stop -WarningVariable warnings -WarningAction SilentlyContinue }
        catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'Studio.Unauthorized,*'
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -Be "Connect-Studio failed, so nothing changed: the previous connection ($($before.BaseUri), team '$($Emu.Team)', token $($before.MaskedToken)) is still in use."
        $after = Get-StudioConnection
        $after.MaskedToken | Should -Be $before.MaskedToken
        @(Get-StudioCluster).Count | Should -BeGreaterThan 0 -Because 'the previous connection still works'
    }

    It 'leaves the previous default connection in use when no token is found, and says so' {
        Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team $Emu.Team
        $err = $null
        try { Connect-Studio -BaseUri $Emu.Url -ErrorAction Stop -WarningVariable warnings -WarningAction SilentlyContinue }
        catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'TokenNotFound,StudioPS.Commands.ConnectStudioCommand'
        "$($warnings[0])" | Should -BeLike 'Connect-Studio failed, so nothing changed: the previous connection*is still in use.'
        (Get-StudioConnection).Validated | Should -BeTrue
    }

    It 'says nothing about a previous connection when there was none' {
        $err = $null
        try { Connect-Studio -BaseUri $Emu.Url -ErrorAction Stop -WarningVariable warnings -WarningAction SilentlyContinue }
        catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        @($warnings | Where-Object { "$_" -like '*previous connection*' }).Count | Should -Be 0
    }
}
