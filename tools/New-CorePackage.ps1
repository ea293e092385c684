<#
.SYNOPSIS
Packs StudioPS.Core, the .NET client under the module, as a NuGet library package with its XML docs.

.DESCRIPTION
Runs `dotnet pack` on src/StudioPS.Core without building again (build.ps1 -Task Package builds first):
lib/netstandard2.0/StudioPS.Core.dll with StudioPS.Core.xml beside it (IntelliSense for every public
member), the dependencies of the project as package dependencies, and the MIT license expression. The
package is written to <OutputDirectory>/StudioPS.Core.<version>.nupkg and returned as a FileInfo.

.EXAMPLE
./tools/New-CorePackage.ps1 -Configuration Release -OutputDirectory out
#>
#Requires -Version 7.2
[CmdletBinding()]
[OutputType([System.IO.FileInfo])]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    [Parameter(Mandatory)] [string] $OutputDirectory
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$project = Join-Path $PSScriptRoot '../src/StudioPS.Core/StudioPS.Core.csproj'
$null = New-Item -ItemType Directory -Path $OutputDirectory -Force
$output = & dotnet pack $project -c $Configuration --no-build -o $OutputDirectory -nologo 2>&1
if ($LASTEXITCODE -ne 0) {
    throw "dotnet pack of StudioPS.Core failed with exit code ${LASTEXITCODE}: $($output -join "`n")"
}
$versionNode = ([xml](Get-Content -LiteralPath (Join-Path $PSScriptRoot '../Directory.Build.props') -Raw)).SelectSingleNode('/Project/PropertyGroup/StudioPSVersion')
Get-Item -LiteralPath (Join-Path $OutputDirectory "StudioPS.Core.$($versionNode.InnerText.Trim()).nupkg")
