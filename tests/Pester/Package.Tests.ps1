# The .nupkg that build.ps1 -Task Package writes with tools/New-ModulePackage.ps1: the layout the PowerShell
# Gallery accepts (what Publish-PSResource produces), and a module that still works once unpacked.

BeforeAll {
    Add-Type -AssemblyName System.IO.Compression
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).ProviderPath
    $ModuleDir = Split-Path -Parent $env:STUDIOPS_MODULE_PATH
    $Manifest = Import-PowerShellDataFile -LiteralPath $env:STUDIOPS_MODULE_PATH
    $OutDir = Join-Path ([IO.Path]::GetTempPath()) ('studiops-package-' + [guid]::NewGuid().ToString('N'))
    $Package = & (Join-Path $RepoRoot 'tools/New-ModulePackage.ps1') -ModulePath $ModuleDir -OutputDirectory $OutDir -LicensePath (Join-Path $RepoRoot 'LICENSE')

    $zip = [System.IO.Compression.ZipFile]::OpenRead($Package.FullName)
    try {
        $Entries = @($zip.Entries.FullName)
        $read = { param($name) $reader = [IO.StreamReader]::new($zip.GetEntry($name).Open()); try { $reader.ReadToEnd() } finally { $reader.Dispose() } }
        $Nuspec = [xml](& $read 'StudioPS.nuspec')
        $ContentTypes = [xml](& $read '[Content_Types].xml')
        $Rels = [xml](& $read '_rels/.rels')
        $CorePath = $Entries | Where-Object { $_ -like 'package/services/metadata/core-properties/*.psmdcp' }
        $Core = [xml](& $read $CorePath)
    }
    finally {
        $zip.Dispose()
    }
    $Metadata = $Nuspec.package.metadata
}

AfterAll {
    Remove-Item -LiteralPath $OutDir -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The module package' {
    It 'is named StudioPS.(version).nupkg after the manifest' {
        $Package.Name | Should -Be "StudioPS.$($Manifest.ModuleVersion).nupkg"
    }

    It 'holds the module files at its root, the license, and the NuGet parts, nothing else' {
        $moduleFiles = Get-ChildItem -LiteralPath $ModuleDir -Recurse -File |
            ForEach-Object { [IO.Path]::GetRelativePath($ModuleDir, $_.FullName).Replace('\', '/') }
        $expected = @($moduleFiles) + 'LICENSE', 'StudioPS.nuspec', '[Content_Types].xml', '_rels/.rels', $CorePath
        @($Entries | Sort-Object) | Should -Be @($expected | Sort-Object)
        $Entries | Should -Contain 'StudioPS.psd1'
        $Entries | Should -Contain 'StudioPS.dll'
        $Entries | Should -Contain 'StudioPS.Format.ps1xml'
        $Entries | Should -Contain 'en-US/StudioPS.dll-Help.xml'
        $Entries | Should -Contain 'en-US/about_StudioPS.help.txt'
        $Entries | Should -Not -Contain 'System.Management.Automation.dll'
    }

    It 'carries the manifest metadata in its nuspec' {
        $Nuspec.package.NamespaceURI | Should -Be 'http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd'
        $Metadata.id | Should -Be 'StudioPS'
        $Metadata.version | Should -Be $Manifest.ModuleVersion
        $Metadata.authors | Should -Be $Manifest.Author
        $Metadata.description | Should -Be $Manifest.Description
        $Metadata.copyright | Should -Be $Manifest.Copyright
        $Metadata.licenseUrl | Should -Be $Manifest.PrivateData.PSData.LicenseUri
        $Metadata.projectUrl | Should -Be $Manifest.PrivateData.PSData.ProjectUri
        $Metadata.releaseNotes | Should -Be $Manifest.PrivateData.PSData.ReleaseNotes
        $Metadata.requireLicenseAcceptance | Should -Be 'false'
    }

    It 'tags it as a module with each cmdlet, as the Gallery lists and Find-Command searches' {
        $tags = $Metadata.tags -split ' '
        $expected = @($Manifest.PrivateData.PSData.Tags) + 'PSModule', 'PSIncludes_Cmdlet' +
            @($Manifest.CmdletsToExport | ForEach-Object { "PSCmdlet_$_"; "PSCommand_$_" })
        @($tags | Sort-Object) | Should -Be @($expected | Sort-Object)
        $tags | Should -Contain 'PSCmdlet_New-StudioJob'
    }

    It 'declares its parts the way NuGet reads a package' {
        $relationships = @($Rels.Relationships.Relationship)
        ($relationships | Where-Object Type -eq 'http://schemas.microsoft.com/packaging/2010/07/manifest').Target | Should -Be '/StudioPS.nuspec'
        ($relationships | Where-Object Type -like '*/metadata/core-properties').Target | Should -Be "/$CorePath"
        $defaults = @{}
        foreach ($default in $ContentTypes.Types.Default) { $defaults[$default.Extension] = $default.ContentType }
        $defaults['rels'] | Should -Be 'application/vnd.openxmlformats-package.relationships+xml'
        $defaults['psmdcp'] | Should -Be 'application/vnd.openxmlformats-package.core-properties+xml'
        foreach ($extension in 'dll', 'psd1', 'ps1xml', 'xml', 'txt', 'nuspec') { $defaults.Keys | Should -Contain $extension }
        $ContentTypes.Types.Override.PartName | Should -Be '/LICENSE'
        $Core.coreProperties.identifier | Should -Be 'StudioPS'
        $Core.coreProperties.version | Should -Be $Manifest.ModuleVersion
    }

    It 'installs with PSResourceGet from a local repository, and the installed module imports with its help' {
        # PSResourceGet ships with PowerShell 7.4+: the client the Gallery's users have. Its repository list lives
        # under XDG_DATA_HOME (LOCALAPPDATA on Windows), pointed here at a temp folder so no user setting changes.
        $repository = Join-Path $OutDir 'repository'
        $saved = Join-Path $OutDir 'saved'
        $null = New-Item -ItemType Directory -Path $repository, $saved
        Copy-Item -LiteralPath $Package.FullName -Destination $repository
        $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name StudioPSPackageTest -Uri '$repository' -Trusted
`$found = Find-PSResource -Name StudioPS -Repository StudioPSPackageTest
"found `$(`$found.Name) `$(`$found.Version) by `$(`$found.Author)"
Save-PSResource -Name StudioPS -Repository StudioPSPackageTest -Path '$saved' -TrustRepository
Import-Module (Join-Path '$saved' 'StudioPS/$($Manifest.ModuleVersion)/StudioPS.psd1')
"commands `$((Get-Command -Module StudioPS).Count)"
"synopsis `$((Get-Help New-StudioJob).Synopsis)"
"@
        $savedEnvironment = @{ XDG_DATA_HOME = $env:XDG_DATA_HOME; LOCALAPPDATA = $env:LOCALAPPDATA }
        # The folder must exist: .NET reports a missing XDG_DATA_HOME as no folder at all, and PSResourceGet
        # would then write its repository list under the current directory.
        $appData = New-Item -ItemType Directory -Path (Join-Path $OutDir 'appdata')
        $env:XDG_DATA_HOME = $env:LOCALAPPDATA = $appData.FullName
        try {
            $run = Invoke-ChildPowerShell -Command $script
        }
        finally {
            foreach ($name in $savedEnvironment.Keys) {
                if ($null -eq $savedEnvironment[$name]) { Remove-Item -LiteralPath "Env:$name" -ErrorAction SilentlyContinue }
                else { Set-Item -LiteralPath "Env:$name" -Value $savedEnvironment[$name] }
            }
        }
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $run.Output | Should -Contain "found StudioPS $($Manifest.ModuleVersion) by $($Manifest.Author)"
        $run.Output | Should -Contain "commands $($Manifest.CmdletsToExport.Count)"
        $run.Output | Should -Contain 'synopsis Creates a Studio job from a script''s text or a script file, and optionally waits for it while writing its log.'
        Join-Path $appData.FullName 'PSResourceGet/PSResourceRepository.xml' | Should -Exist
        Join-Path $saved "StudioPS/$($Manifest.ModuleVersion)/LICENSE" | Should -Exist
        Join-Path $saved "StudioPS/$($Manifest.ModuleVersion)/en-US/StudioPS.dll-Help.xml" | Should -Exist
    }
}

Describe 'build.ps1 -Task Package' {
    It 'is a declared task that calls tools/New-ModulePackage.ps1 with the license' {
        $ast = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $RepoRoot 'build.ps1'), [ref]$null, [ref]$null)
        $task = $ast.ParamBlock.Parameters | Where-Object { $_.Name.VariablePath.UserPath -eq 'Task' }
        ($task.Attributes | Where-Object { $_.TypeName.Name -eq 'ValidateSet' }).PositionalArguments.Value | Should -Contain 'Package'
        $function = $ast.Find({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] -and $n.Name -eq 'Invoke-PackageTask' }, $true)
        $function.Body.Extent.Text | Should -Match 'New-ModulePackage\.ps1'
        $function.Body.Extent.Text | Should -Match 'LICENSE'
    }
}

Describe 'The StudioPS.Core library package' {
    BeforeAll {
        $configuration = Split-Path -Leaf (Split-Path (Split-Path $env:STUDIOPS_EMULATOR_PATH))
        $CorePackage = & (Join-Path $RepoRoot 'tools/New-CorePackage.ps1') -Configuration $configuration -OutputDirectory $OutDir
        $zip = [System.IO.Compression.ZipFile]::OpenRead($CorePackage.FullName)
        try {
            $CoreEntries = @($zip.Entries.FullName)
            $reader = [IO.StreamReader]::new($zip.GetEntry('StudioPS.Core.nuspec').Open())
            try { $CoreNuspec = [xml]$reader.ReadToEnd() } finally { $reader.Dispose() }
            $reader = [IO.StreamReader]::new($zip.GetEntry('lib/netstandard2.0/StudioPS.Core.xml').Open())
            try { $CoreDocs = [xml]$reader.ReadToEnd() } finally { $reader.Dispose() }
        }
        finally {
            $zip.Dispose()
        }
    }

    It 'is StudioPS.Core.(version).nupkg with the version of the module' {
        $CorePackage.Name | Should -Be "StudioPS.Core.$($Manifest.ModuleVersion).nupkg"
        $CoreNuspec.package.metadata.id | Should -Be 'StudioPS.Core'
        $CoreNuspec.package.metadata.version | Should -Be "$($Manifest.ModuleVersion)"
        $CoreNuspec.package.metadata.license.'#text' | Should -Be 'MIT'
    }

    It 'holds the netstandard2.0 library with its XML docs, and no PowerShell' {
        $CoreEntries | Should -Contain 'lib/netstandard2.0/StudioPS.Core.dll'
        $CoreEntries | Should -Contain 'lib/netstandard2.0/StudioPS.Core.xml'
        $CoreEntries | Where-Object { $_ -like '*StudioPS.dll' -or $_ -like '*Management.Automation*' } | Should -BeNullOrEmpty
        $CoreDocs.doc.members.member.name | Should -Contain 'M:StudioPS.Session.StudioConnection.Open(StudioPS.Session.StudioConnectionOptions)'
    }

    It 'names its runtime dependencies' {
        $ids = @($CoreNuspec.package.metadata.dependencies.group.dependency.id)
        $ids | Should -Contain 'System.Net.Http.Json'
        $ids | Should -Contain 'Microsoft.Bcl.AsyncInterfaces'
    }
}
