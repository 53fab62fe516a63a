import { createPinia } from 'pinia'
import { createApp, nextTick } from 'vue'
import App from './App.vue'
import { schedulePrewarm } from '@renderer/python/prewarm'
import { isSmokeRun, reportSmoke } from '@renderer/smoke'
import { usePythonStore } from '@renderer/stores/python'
import './assets/base.css'

const pinia = createPinia()
createApp(App).use(pinia).mount('#app')
if (isSmokeRun()) void nextTick(reportSmoke)
else schedulePrewarm(() => void usePythonStore(pinia).start())
