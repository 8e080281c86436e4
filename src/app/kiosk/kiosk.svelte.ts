import { clearSession } from '../recovery/clear';
import { correction } from '../state/correction.svelte';
import { database } from '../state/database.svelte';
import { engineSettings } from '../state/engine-settings.svelte';
import { models } from '../state/models.svelte';
import { fetchKioskConfig, type KioskConfig } from './kiosk-config';

const ACTIVITY = ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart'] as const;

/** The kiosk: its configuration, the bundled database, the local engine and idle resets. */
export class KioskState {
  config = $state<KioskConfig | undefined>();
  error = $state<string | undefined>();
  resets = $state(0);
  private timer: ReturnType<typeof setTimeout> | undefined;

  async start(): Promise<void> {
    try {
      const config = await fetchKioskConfig();
      this.config = config;
      document.title = config.title;
      // The engine is fixed: local models when this machine has WebGPU, otherwise none.
      await Promise.all([this.openDatabase(config), models.init()]);
      const complete = (['bam', 'sam', 'lom'] as const).every((r) => models.offeredFor(r).length);
      engineSettings.kind = models.gpu?.available && complete ? 'webgpu' : 'none';
      engineSettings.preset = config.preset;
      for (const [role, id] of Object.entries(config.models)) {
        if (id && models.offered.some((m) => m.id === id && m.role === role)) {
          models.selected[role as keyof typeof models.selected] = id;
        }
      }
      this.watchIdle(config.idleResetSeconds * 1000);
    } catch (error) {
      this.error = `This kiosk is not set up correctly: ${(error as Error).message}`;
    }
  }

  private async openDatabase(config: KioskConfig): Promise<void> {
    const url = new URL(config.database, document.baseURI).href;
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
    // Not kept in IndexedDB: the kiosk always starts from its bundled copy.
    await database.openBytes(
      new Uint8Array(await response.arrayBuffer()),
      config.databaseName,
      false,
    );
  }

  private watchIdle(idleMs: number): void {
    const arm = (): void => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.idle(arm), idleMs);
    };
    for (const type of ACTIVITY) addEventListener(type, arm, { capture: true, passive: true });
    arm();
  }

  private idle(arm: () => void): void {
    const c = correction;
    const dirty = c.question || c.evidence || c.sql || c.ranWith;
    if (dirty && !c.running) {
      clearSession(c);
      this.resets++;
      for (const details of document.querySelectorAll('details[open]'))
        details.removeAttribute('open');
      scrollTo({ top: 0 });
    }
    arm();
  }

  /** Full screen on request (browsers allow it only after a user gesture). */
  async fullScreen(): Promise<void> {
    if (document.fullscreenElement) await document.exitFullscreen();
    else await document.documentElement.requestFullscreen().catch(() => {});
  }
}

export const kiosk = new KioskState();
