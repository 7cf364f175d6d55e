"""dist/counter-app-<version>.msi: the same files as the .exe, as a per-machine MSI for group-policy
roll-out, built on Linux by Debian's ``wixl`` (msitools). Run after ``build_windows.py`` (it takes the
files pynsist laid out in build/windows/nsis).

What the MSI does: the program in ``C:\\Program Files\\Counter App`` (all users), the three Start-menu
entries, an upgrade replacing an older MSI (MajorUpgrade), an uninstall removing the program only
(the data in %LOCALAPPDATA% are not its files). What it does not, unlike the .exe: put ``bin`` on the
PATH (wixl has no Environment table), byte-compile the modules at install, or offer the office hub
service (the hub is one PC per office: the .exe's optional component).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

from build_windows import APP_NAME, WORK
from common import DIST, run, version

# Fixed for ever: Windows Installer recognises an upgrade of the same product by it.
UPGRADE_CODE = "6B0D6C1E-4E5B-4C0E-9A53-2C7F1B3A9D41"
SHORTCUTS = (("Counter App", "app.launch.pyw"), ("Counter App - Kiosk", "kiosk.launch.pyw"),
             ("Counter App - Display", "display.launch.pyw"))
# Where pynsist's NSIS script puts each folder of build/windows/nsis (the rest goes to $INSTDIR).
INTO_PKGS = ("counter_app", "resources")
TOP_FILES = ("glossyorb.ico", "app.launch.pyw", "kiosk.launch.pyw", "display.launch.pyw", "hub_service.py")

PRODUCT = """<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="{product_id}" Name="{name}" Version="{version}" Manufacturer="counter_app" Language="1033"
           UpgradeCode="{upgrade}">
    <Package InstallerVersion="500" Compressed="yes" InstallScope="perMachine"
             Description="{name} {version}" Comments="The counter app for one-stop counters"/>
    <Media Id="1" Cabinet="app.cab" EmbedCab="yes"/>
    <MajorUpgrade DowngradeErrorMessage="A newer version of {name} is already installed."/>
    <Icon Id="app.ico" SourceFile="$(var.SourceDir)/glossyorb.ico"/>
    <Property Id="ARPPRODUCTICON" Value="app.ico"/>
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="ProgramFiles64Folder">
        <Directory Id="INSTALLDIR" Name="{name}"/>
      </Directory>
      <Directory Id="ProgramMenuFolder">
        <Directory Id="MenuDir" Name="{name}">
          <Component Id="Shortcuts" Guid="{shortcut_guid}" Win64="yes">
{shortcuts}
            <RemoveFolder Id="RemoveMenuDir" On="uninstall"/>
            <RegistryValue Root="HKLM" Key="Software\\counter_app\\{name}" Name="shortcuts" Type="integer" Value="1"
                           KeyPath="yes"/>
          </Component>
        </Directory>
      </Directory>
    </Directory>
    <Feature Id="App" Title="{name}" Level="1">
      <ComponentGroupRef Id="CG.files"/>
      <ComponentRef Id="Shortcuts"/>
    </Feature>
  </Product>
</Wix>
"""
SHORTCUT = ('            <Shortcut Id="sc{n}" Name="{title}" Target="[INSTALLDIR]Python\\pythonw.exe" '
            'Arguments="&quot;[INSTALLDIR]{script}&quot;" WorkingDirectory="INSTALLDIR" Icon="app.ico"/>')


def main() -> Path:
    ver = version()
    nsis = WORK / "nsis"
    if not (nsis / "Python").is_dir():
        raise SystemExit(f"{nsis} has no Python folder: run build_windows.py first")
    root = _lay_out(nsis, WORK / "msi-root")
    listed = subprocess.run(["find", ".", "-type", "f"], cwd=root, capture_output=True, text=True, check=True).stdout
    heat = subprocess.run(["wixl-heat", "-p", "./", "--directory-ref", "INSTALLDIR", "--component-group", "CG.files",
                           "--var", "var.SourceDir", "--win64"], input=listed, capture_output=True, text=True,
                          check=True).stdout
    (WORK / "msi-files.wxs").write_text(heat, encoding="utf-8")
    shortcuts = "\n".join(SHORTCUT.format(n=n, title=title, script=script)
                          for n, (title, script) in enumerate(SHORTCUTS))
    # A new product code per build (each build is a major upgrade of the last); the shortcuts'
    # component keeps its GUID so Windows Installer counts it as the same component.
    product = PRODUCT.format(product_id=str(uuid.uuid4()).upper(), name=APP_NAME, version=ver, upgrade=UPGRADE_CODE,
                             shortcut_guid=str(uuid.uuid5(uuid.UUID(UPGRADE_CODE), "shortcuts")).upper(),
                             shortcuts=shortcuts)
    (WORK / "msi-product.wxs").write_text(product, encoding="utf-8")
    DIST.mkdir(exist_ok=True)
    out = DIST / f"counter-app-{ver}.msi"
    # wixl finds sources relative to its working folder only.
    run(["wixl", "-a", "x64", "-D", f"SourceDir={root.relative_to(WORK)}", "-D", "Win64=yes", "-o", out,
         "msi-product.wxs", "msi-files.wxs"], cwd=WORK)
    print(f"{out} {out.stat().st_size / 2**20:.1f} MiB")
    return out


def _lay_out(nsis: Path, root: Path) -> Path:
    """The installed tree, as hard links (no second copy of 400 MB)."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for name in ("Python", "bin", "pkgs"):
        shutil.copytree(nsis / name, root / name, copy_function=os.link)
    for name in INTO_PKGS:
        shutil.copytree(nsis / name, root / "pkgs" / name, copy_function=os.link)
    for name in TOP_FILES:
        os.link(nsis / name, root / name)
    return root


if __name__ == "__main__":
    main()
