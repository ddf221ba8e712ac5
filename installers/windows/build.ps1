<#
Uitstroom for Windows: from a checkout to dist\Uitstroom-<version>-setup.exe, on Windows 10/11 x64.
The CI workflow (.github/workflows/build.yml) runs exactly this; by hand, in PowerShell in the
repository:

    powershell -ExecutionPolicy Bypass -File installers\windows\build.ps1

Needs Python 3.11 x64 (python.org, or `-Python "py -3.11"`) and Inno Setup 6
(`choco install innosetup`, or jrsoftware.org). Steps:
  1. a fresh .venv with the lock file's versions (hashes checked) and Uitstroom itself;
  2. PyInstaller with installers\uitstroom.spec -> dist\uitstroom (uitstroom.exe, uitstroom-cli.exe);
  3. dist\uitstroom\uitstroom-cli.exe --self-test;
  4. ISCC installers\windows\uitstroom.iss -> dist\Uitstroom-<version>-setup.exe.
installers\windows\check-install.ps1 then installs, updates and removes it.
#>
param(
    [string]$Python = "python",
    [string]$Iscc = ""
)
$ErrorActionPreference = "Stop"
Set-Location (Resolve-Path (Join-Path $PSScriptRoot "..\.."))

function Invoke-Step {
    param([string]$Title, [scriptblock]$Command)
    Write-Host "build: $Title"
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "build: mislukt bij '$Title' (code $LASTEXITCODE)" }
}

$venvPython = ".venv\Scripts\python.exe"
if (-not (Test-Path $venvPython)) {
    $launcher, $launcherArgs = $Python -split " "
    Invoke-Step "virtuele omgeving maken met $Python" { & $launcher @launcherArgs -m venv .venv }
}
Invoke-Step "pip bijwerken" { & $venvPython -m pip install --quiet --upgrade pip }
Invoke-Step "vastgezette versies uit installers\requirements.lock" {
    & $venvPython -m pip install --quiet --require-hashes -r installers\requirements.lock
}
Invoke-Step "Uitstroom zelf" { & $venvPython -m pip install --quiet --no-deps -e . }

Invoke-Step "PyInstaller" {
    & .venv\Scripts\pyinstaller.exe --noconfirm --clean --log-level WARN --distpath dist `
        --workpath build\pyinstaller installers\uitstroom.spec
}
Invoke-Step "zelftest van het gebouwde programma" { & dist\uitstroom\uitstroom-cli.exe --self-test }

if (-not $Iscc) {
    # On PATH, or where the Inno Setup installer (and Chocolatey's package) puts it.
    $found = @(Get-Command ISCC.exe -ErrorAction SilentlyContinue | ForEach-Object Source) +
        @(Get-ChildItem "${env:ProgramFiles(x86)}\Inno Setup *\ISCC.exe", "$env:ProgramFiles\Inno Setup *\ISCC.exe" -ErrorAction SilentlyContinue |
            Sort-Object FullName -Descending | ForEach-Object FullName)
    $Iscc = $found | Select-Object -First 1
}
if (-not $Iscc -or -not (Test-Path $Iscc)) { throw "build: Inno Setup (ISCC.exe) ontbreekt; installeer het met: choco install innosetup" }
Invoke-Step "Inno Setup" { & $Iscc /Q installers\windows\uitstroom.iss }

$version = & $venvPython -c "import sys; sys.path.insert(0, 'installers'); import bundle; print(bundle.package_version())"
$setup = "dist\Uitstroom-$version-setup.exe"
if (-not (Test-Path $setup)) { throw "build: $setup is niet gemaakt" }
Write-Host ("build: klaar: $setup ({0:N0} MB)" -f ((Get-Item $setup).Length / 1MB))
