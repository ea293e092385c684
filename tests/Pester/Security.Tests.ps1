# Where the token may go, what a server's text may do to the console, and the emulator's control API,
# end to end: the built module and the emulator process.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module $env:STUDIOPS_MODULE_PATH -Force
    $Folders = Enter-IsolatedStudioEnvironment
    $Emu = Start-TestEmulator -ArgumentList '--speed', '10'
    Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team $Emu.Team
    $Esc = [char]0x1b
}

AfterAll {
    Disconnect-Studio
    Stop-TestEmulator $Emu
    Exit-IsolatedStudioEnvironment
}

Describe 'The emulator''s control API' {
    It 'answers 401 without the control token it printed at start, and changes nothing' {
        $emulatorToken = $Emu.ControlToken
        $emulatorToken | Should -Match '^ctl_[A-Za-z0-9]{40}$'
        $response = Invoke-WebRequest -Uri "$($Emu.Url)/_emulator/options" -Method Post -Body '{"speed": 99}' -ContentType 'application/json' -NoProxy -SkipHttpErrorCheck
        $response.StatusCode | Should -Be 401
        (Invoke-EmulatorControl -Emulator $Emu -Method Get -Path 'options').speed | Should -Be 10
    }

    It 'answers 403 to a Host header that is not loopback, even with the token' {
        $response = Invoke-WebRequest -Uri "$($Emu.Url)/_emulator/reset" -Method Post -NoProxy -SkipHttpErrorCheck `
            -Headers @{ 'X-Emulator-Control' = $Emu.ControlToken; Host = 'attacker.example' }
        $response.StatusCode | Should -Be 403
    }
}

Describe 'A project''s .datachain/config' {
    AfterEach {
        Remove-Item -LiteralPath (Join-Path $Folders.DataChainDir 'config') -ErrorAction SilentlyContinue
        Remove-Item Env:DATACHAIN_STUDIO_TOKEN, Env:DATACHAIN_STUDIO_TEAM -ErrorAction SilentlyContinue
        Connect-Studio -Token $Emu.Token -BaseUri $Emu.Url -Team $Emu.Team
    }

    It 'does not get the token from the environment for its studio.url: a clear error names both, and completion stays silent' {
        Set-Content -LiteralPath (Join-Path $Folders.DataChainDir 'config') -Value "[studio]`nurl = `"$($Emu.Url)`""
        $env:DATACHAIN_STUDIO_TOKEN = $Emu.Token
        $env:DATACHAIN_STUDIO_TEAM = $Emu.Team
        Disconnect-Studio
        Clear-EmulatorRequest $Emu
        $err = { Get-StudioCluster -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ProjectUrlWithOtherToken,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -BeLike "*$(Join-Path $Folders.DataChainDir 'config')*DATACHAIN_STUDIO_TOKEN*-BaseUri*DATACHAIN_STUDIO_URL*"
        $line = 'New-StudioJob -Query x -ClusterName '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | Should -BeNullOrEmpty
        @(Get-EmulatorRequest $Emu) | Should -BeNullOrEmpty
    }

    It 'is used with a token from that same file' {
        Set-Content -LiteralPath (Join-Path $Folders.DataChainDir 'config') -Value "[studio]`nurl = `"$($Emu.Url)`"`ntoken = `"$($Emu.Token)`"`nteam = `"$($Emu.Team)`""
        Disconnect-Studio
        @(Get-StudioCluster).Count | Should -Be 3
    }

    It 'that is broken names the file and line, not a raw exception' {
        Set-Content -LiteralPath (Join-Path $Folders.DataChainDir 'config') -Value "[studio]`nteam = `"\uD800`""
        Disconnect-Studio
        $err = { Get-StudioCluster -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidConfigFile,*'
        $err.Exception.Message | Should -BeLike "*$(Join-Path $Folders.DataChainDir 'config')' line 2 *"
    }
}

Describe 'Secrets and server text' {
    It 'trims -Token' {
        (Connect-Studio -Token "  $($Emu.Token)`n" -BaseUri $Emu.Url -Team $Emu.Team -PassThru).Validated | Should -BeTrue
    }

    It 'masks environment values in -Debug and keeps the keys' {
        $debug = New-StudioJob -Query "print('env')" -Environment @{ AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMIK7MDENGbPxRfiCY'; REGION = 'eu' } -Debug 5>&1 |
            Where-Object { $_ -is [Management.Automation.DebugRecord] } | ForEach-Object Message
        ($debug -join "`n") | Should -BeLike '*AWS_SECRET_ACCESS_KEY=`[redacted`]*'
        ($debug -join "`n") | Should -Not -BeLike '*wJalrXUtnFEMIK7MDENG*'
    }

    It 'refuses the id .. before anything is sent' {
        Clear-EmulatorRequest $Emu
        $err = { Stop-StudioJob -Id '..' -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidJobId,*'
        @(Get-EmulatorRequest $Emu) | Should -BeNullOrEmpty
    }

    It 'escapes control characters of a server''s error text and of table columns' {
        Add-EmulatorFault $Emu @{ method = 'GET'; path = '/api/datachain/clusters/'; status = 400; body = "{`"detail`": `"bad$Esc[2J team`"}"; count = 1 }
        $err = { Get-StudioCluster -ErrorAction Stop } | Should -Throw -PassThru
        "$err" | Should -Not -Match ([regex]::Escape([string]$Esc))
        "$err" | Should -BeLike '*bad\u001b`[2J team*'
        $job = New-StudioJob -Query "print('x')" -Name "evil$Esc[31mname"
        $table = $job | Format-Table | Out-String
        $table | Should -Not -Match ([regex]::Escape([string]$Esc))
        $table | Should -BeLike '*evil\u001b`[31mname*'
        $job.Name | Should -Be "evil$Esc[31mname"
    }

    It 'escapes control characters of server text in every table and list view of the format file' {
        # Every type with a view, every string it carries (nested runs and versions too) set to text with an escape sequence.
        $fill = {
            param($object, [int] $depth)
            foreach ($property in $object.GetType().GetProperties()) {
                if (-not $property.CanWrite) { continue }
                $type = $property.PropertyType
                if ($type -eq [string]) { $property.SetValue($object, "$($property.Name)$Esc[31mZQX") }
                elseif ($type -eq [string[]]) { $property.SetValue($object, [string[]]@("$($property.Name)$Esc[32mZQX")) }
                elseif ($depth -gt 0 -and $type.IsArray -and $type.GetElementType().Namespace -eq 'StudioPS.Models') {
                    $item = [Activator]::CreateInstance($type.GetElementType()); & $fill $item ($depth - 1)
                    $array = [Array]::CreateInstance($type.GetElementType(), 1); $array[0] = $item; $property.SetValue($object, $array)
                }
                elseif ($depth -gt 0 -and $type.Namespace -eq 'StudioPS.Models' -and $type.IsClass) {
                    $item = [Activator]::CreateInstance($type); & $fill $item ($depth - 1); $property.SetValue($object, $item)
                }
            }
        }
        [xml] $format = Get-Content -Raw -LiteralPath (Join-Path (Split-Path $env:STUDIOPS_MODULE_PATH) 'StudioPS.Format.ps1xml')
        $typeNames = @($format.Configuration.ViewDefinitions.View.ViewSelectedBy.TypeName | Sort-Object -Unique)
        $typeNames | Should -Contain 'StudioPS.Models.StudioJob'
        $checked = 0
        foreach ($typeName in $typeNames) {
            $type = ([System.Management.Automation.PSTypeName]$typeName).Type
            $object = if ($typeName -eq 'StudioPS.Session.StudioSetting') { [StudioPS.Session.StudioSetting]::new("key$Esc[31mZQX", "value$Esc[31mZQX", 'ConfigFile', "path$Esc[31mZQX") }
                      elseif ($type.GetConstructor([type]::EmptyTypes)) { $o = [Activator]::CreateInstance($type); & $fill $o 1; $o }
            # A connection's texts are the user's own (Connect-Studio checks them); every other type is a server's.
            if (-not $object) { $typeName | Should -Be 'StudioPS.Session.StudioConnection'; continue }
            foreach ($view in 'Format-Table', 'Format-List') {
                $text = $object | & $view | Out-String -Width 4000
                $text | Should -Not -Match ([regex]::Escape([string]$Esc)) -Because "$view of $typeName"
                $text | Should -Match ([regex]::Escape('\u001b[3')) -Because "$view of $typeName shows the escaped text"
                # Where PowerShell strips the sequence itself (Out-String, PlainText), an unescaped field shows as 'NameZQX'.
                $text | Should -Not -Match '[^m]ZQX' -Because "every field of $view of $typeName is escaped"
                $checked++
            }
        }
        $checked | Should -Be (2 * ($typeNames.Count - 1))
    }
}
