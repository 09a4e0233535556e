import { contextBridge } from 'electron';

// The channel map (src/shared/ipc.ts) arrives with the desktop app; until then the bridge is empty.
contextBridge.exposeInMainWorld('signet', Object.freeze({}));
