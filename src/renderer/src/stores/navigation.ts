/** Which tab the window shows: the tab strip and anything that sends the user to another tab. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { TabId } from '@shared/smoke'

export const useNavigationStore = defineStore('navigation', () => {
  const active = ref<TabId>('walk')
  function show(tab: TabId): void {
    active.value = tab
  }
  return { active, show }
})
