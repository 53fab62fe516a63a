/**
 * electron-builder's configuration, computed (electron-builder.ts is this, for this project):
 * packaging reuses the Electron that `npm start` downloaded into node_modules/electron/dist, and
 * sets Electron's fuses. A YAML `electronDist` would be used as given even when the folder does not
 * hold this version; here it is set only when it does (scripts/dist.ts stops before building otherwise).
 */
import type { Configuration } from 'app-builder-lib'
import { electronPackage, installedDist, type Env } from './electron'

export function builderConfig(projectRoot: string, env: Env = process.env): Configuration {
  const electronDist = installedDist(electronPackage(projectRoot, env), env)
  return {
    appId: 'org.yieldlab.app',
    productName: 'Yield Lab',
    directories: { output: 'dist', buildResources: 'resources' },
    files: ['out/**', 'package.json', '!**/*.map', '!node_modules/node-api-headers/**'],
    // Worker threads start from real files, not from inside the asar archive, and the native helper
    // (an N-API module: the npm install build loads in Electron as is) is loaded from one too.
    asarUnpack: ['out/main/chunks/**', 'node_modules/@yield-lab/native/build/Release/*.node'],
    ...(electronDist === undefined ? {} : { electronDist }),
    electronFuses: {
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      // Acts on macOS and Windows (Electron validates the asar header hash there).
      enableEmbeddedAsarIntegrityValidation: true,
      // The renderer is served from app://, never file://: file pages get no more than a browser gives them.
      grantFileProtocolExtraPrivileges: false
    },
    mac: { category: 'public.app-category.education', target: 'dmg', icon: 'resources/icon.png' },
    win: { target: 'nsis', icon: 'resources/icon.png' },
    nsis: { oneClick: false, allowToChangeInstallationDirectory: true },
    linux: { target: ['AppImage', 'deb'], category: 'Education', icon: 'resources/icon.png', maintainer: 'Yield Lab' },
    npmRebuild: false,
    publish: null
  }
}
