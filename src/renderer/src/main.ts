import { createPinia } from 'pinia'
import { createApp, nextTick } from 'vue'
import App from './App.vue'
import { isSmokeRun, reportSmoke } from '@renderer/smoke'
import './assets/base.css'

createApp(App).use(createPinia()).mount('#app')
if (isSmokeRun()) void nextTick(reportSmoke)
