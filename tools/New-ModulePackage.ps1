<#
.SYNOPSIS
Packs the laid-out module folder into a .nupkg in the layout the PowerShell Gallery accepts.

.DESCRIPTION
There is no PSResourceGet gallery or nuget.exe on the build machine, so this writes the package the
way Publish-PSResource does, with System.IO.Compression:
  <Name>.nuspec                 id, version, authors, owners, description, copyright, licenseUrl,
                                projectUrl, releaseNotes and tags, all from the module manifest; the tags
                                add PSModule, PSIncludes_Cmdlet and PSCmdlet_/PSCommand_<name> per cmdlet,
                                which the Gallery lists and Find-Command searches
  [Content_Types].xml, _rels/.rels, package/services/metadata/core-properties/<id>.psmdcp
                                the Open Packaging Conventions parts NuGet expects
  the module's files            at the package root, as Install-PSResource lays them out again
  LICENSE                       the repository's license, when -LicensePath is given
The package is written to <OutputDirectory>/<Name>.<version>.nupkg and returned as a FileInfo.

.EXAMPLE
./tools/New-ModulePackage.ps1 -ModulePath out/StudioPS -OutputDirectory out -LicensePath LICENSE
#>
#Requires -Version 7.2
[CmdletBinding()]
[OutputType([System.IO.FileInfo])]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutputDirectory,
    [string] $LicensePath
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
Add-Type -AssemblyName System.IO.Compression

$moduleDir = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
$name = Split-Path -Leaf $moduleDir
$manifestPath = Join-Path $moduleDir "$name.psd1"
if (-not (Test-Path -LiteralPath $manifestPath -PathType Leaf)) {
    throw "$moduleDir holds no $name.psd1; build the module first."
}
$manifest = Import-PowerShellDataFile -LiteralPath $manifestPath
$psData = $manifest.PrivateData.PSData
$version = [string]$manifest.ModuleVersion
if ($psData.ContainsKey('Prerelease') -and $psData.Prerelease) { $version += '-' + $psData.Prerelease }

foreach ($key in 'Author', 'Description') {
    if (-not $manifest[$key]) { throw "$name.psd1 has no $key; the Gallery requires it." }
}
foreach ($key in 'ProjectUri', 'LicenseUri', 'ReleaseNotes') {
    if (-not $psData[$key]) { throw "$name.psd1 has no PrivateData.PSData.$key; the package needs it." }
}

$tags = [System.Collections.Generic.List[string]]::new()
foreach ($tag in @($psData.Tags) + 'PSModule' + 'PSIncludes_Cmdlet') {
    if ($tag -and -not $tags.Contains($tag)) { $tags.Add($tag) }
}
foreach ($cmdlet in $manifest.CmdletsToExport) {
    $tags.Add("PSCmdlet_$cmdlet")
    $tags.Add("PSCommand_$cmdlet")
}

function New-XmlText([scriptblock] $Body) {
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [Text.UTF8Encoding]::new($false)
    $stream = [IO.MemoryStream]::new()
    $writer = [System.Xml.XmlWriter]::Create($stream, $settings)
    try {
        $writer.WriteStartDocument()
        & $Body $writer
        $writer.WriteEndDocument()
    }
    finally {
        $writer.Dispose()
    }
    $stream.ToArray()
}

$nuspecNs = 'http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd'
$nuspec = New-XmlText {
    param($w)
    $w.WriteStartElement('package', $nuspecNs)
    $w.WriteStartElement('metadata', $nuspecNs)
    $fields = [ordered]@{
        id                       = $name
        version                  = $version
        authors                  = $manifest.Author
        owners                   = $(if ($manifest.CompanyName) { $manifest.CompanyName } else { $manifest.Author })
        requireLicenseAcceptance = $(if ($psData['RequireLicenseAcceptance']) { 'true' } else { 'false' })
        licenseUrl               = $psData.LicenseUri
        projectUrl               = $psData.ProjectUri
        description              = $manifest.Description
        releaseNotes             = $psData.ReleaseNotes
        copyright                = $manifest.Copyright
        tags                     = $tags -join ' '
    }
    if ($psData['IconUri']) { $fields['iconUrl'] = $psData.IconUri }
    foreach ($field in $fields.Keys) {
        if ($fields[$field]) { $w.WriteElementString($field, $nuspecNs, [string]$fields[$field]) }
    }
    $w.WriteEndElement()
    $w.WriteEndElement()
}

# The files of the module, relative to its folder, with forward slashes as zip entries use.
$files = @(Get-ChildItem -LiteralPath $moduleDir -Recurse -File | Sort-Object FullName | ForEach-Object {
        [pscustomobject]@{ Entry = [IO.Path]::GetRelativePath($moduleDir, $_.FullName).Replace('\', '/'); Source = $_.FullName }
    })
if ($LicensePath) {
    $files += [pscustomobject]@{ Entry = 'LICENSE'; Source = (Resolve-Path -LiteralPath $LicensePath).ProviderPath }
}

$extensions = @($files.Entry | ForEach-Object { [IO.Path]::GetExtension($_).TrimStart('.') } | Where-Object { $_ } | Sort-Object -Unique)
$contentTypes = New-XmlText {
    param($w)
    $ns = 'http://schemas.openxmlformats.org/package/2006/content-types'
    $w.WriteStartElement('Types', $ns)
    $defaults = [ordered]@{
        rels   = 'application/vnd.openxmlformats-package.relationships+xml'
        psmdcp = 'application/vnd.openxmlformats-package.core-properties+xml'
        nuspec = 'application/octet'
    }
    foreach ($extension in $extensions) { if (-not $defaults.Contains($extension)) { $defaults[$extension] = 'application/octet' } }
    foreach ($extension in $defaults.Keys) {
        $w.WriteStartElement('Default', $ns)
        $w.WriteAttributeString('Extension', $extension)
        $w.WriteAttributeString('ContentType', $defaults[$extension])
        $w.WriteEndElement()
    }
    # A file without an extension (LICENSE) needs an override of its own.
    foreach ($entry in $files.Entry | Where-Object { -not [IO.Path]::GetExtension($_) }) {
        $w.WriteStartElement('Override', $ns)
        $w.WriteAttributeString('PartName', '/' + $entry)
        $w.WriteAttributeString('ContentType', 'application/octet')
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
}

$corePropertiesPath = 'package/services/metadata/core-properties/' + [guid]::NewGuid().ToString('N') + '.psmdcp'
$rels = New-XmlText {
    param($w)
    $ns = 'http://schemas.openxmlformats.org/package/2006/relationships'
    $w.WriteStartElement('Relationships', $ns)
    $targets = [ordered]@{
        'http://schemas.microsoft.com/packaging/2010/07/manifest'                                = "/$name.nuspec"
        'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties' = "/$corePropertiesPath"
    }
    foreach ($type in $targets.Keys) {
        $w.WriteStartElement('Relationship', $ns)
        $w.WriteAttributeString('Type', $type)
        $w.WriteAttributeString('Target', $targets[$type])
        $w.WriteAttributeString('Id', 'R' + [guid]::NewGuid().ToString('N').Substring(0, 16).ToUpperInvariant())
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
}

$coreProperties = New-XmlText {
    param($w)
    $ns = 'http://schemas.openxmlformats.org/package/2006/metadata/core-properties'
    $dc = 'http://purl.org/dc/elements/1.1/'
    $w.WriteStartElement('coreProperties', $ns)
    $w.WriteAttributeString('xmlns', 'dc', $null, $dc)
    $w.WriteElementString('creator', $dc, $manifest.Author)
    $w.WriteElementString('description', $dc, $manifest.Description)
    $w.WriteElementString('identifier', $dc, $name)
    $w.WriteElementString('version', $ns, $version)
    $w.WriteElementString('keywords', $ns, $tags -join ' ')
    $w.WriteElementString('lastModifiedBy', $ns, 'StudioPS tools/New-ModulePackage.ps1')
    $w.WriteEndElement()
}

$null = New-Item -ItemType Directory -Path $OutputDirectory -Force
$packagePath = Join-Path (Resolve-Path -LiteralPath $OutputDirectory).ProviderPath "$name.$version.nupkg"
Remove-Item -LiteralPath $packagePath -ErrorAction SilentlyContinue
$stream = [IO.File]::Open($packagePath, [IO.FileMode]::CreateNew)
$zip = [System.IO.Compression.ZipArchive]::new($stream, [System.IO.Compression.ZipArchiveMode]::Create)
try {
    $addBytes = {
        param([string] $Entry, [byte[]] $Bytes)
        $target = $zip.CreateEntry($Entry, [System.IO.Compression.CompressionLevel]::Optimal).Open()
        try { $target.Write($Bytes, 0, $Bytes.Length) } finally { $target.Dispose() }
    }
    & $addBytes '_rels/.rels' $rels
    & $addBytes "$name.nuspec" $nuspec
    foreach ($file in $files) {
        $target = $zip.CreateEntry($file.Entry, [System.IO.Compression.CompressionLevel]::Optimal).Open()
        $source = [IO.File]::OpenRead($file.Source)
        try { $source.CopyTo($target) } finally { $source.Dispose(); $target.Dispose() }
    }
    & $addBytes $corePropertiesPath $coreProperties
    & $addBytes '[Content_Types].xml' $contentTypes
}
finally {
    $zip.Dispose()
    $stream.Dispose()
}
Get-Item -LiteralPath $packagePath
