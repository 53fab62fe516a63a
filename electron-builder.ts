// Packaging for macOS (dmg), Windows (nsis), Linux (AppImage, deb) and an unpacked folder:
// `npm run dist:mac|win|linux|dir`. Everything the app uses, Python (Pyodide) included, is inside.
import { builderConfig } from './scripts/packaging'

export default builderConfig(import.meta.dirname)
