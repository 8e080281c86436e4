import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { offline } from './offline/offline.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');
if (__SHARE_KIOSK__) {
  // Only a kiosk build carries the kiosk UI (the constant removes this branch elsewhere).
  const { default: KioskApp } = await import('./kiosk/KioskApp.svelte');
  mount(KioskApp, { target });
  void offline.register(['kiosk.json']);
} else {
  mount(App, { target });
  void offline.register();
}
