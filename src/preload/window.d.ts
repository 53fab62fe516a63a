import type { LabApi } from '../shared/contract'

declare global {
  interface Window {
    lab: LabApi
  }
}

export {}
