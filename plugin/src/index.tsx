import { createRoot } from 'react-dom/client';
import { DEFAULT_PORT } from '@mend/protocol';
import { HelperClient, type SocketLike } from './helper-client/helper-client';
import { registerPanel } from './host/panel-entrypoint';
import { createPhotoshopHost } from './host/photoshop-host';
import { createReportDestinations } from './host/report-file';
import { createScratchHost } from './host/scratch-documents';
import { createTokenStore } from './host/token-store';
import { runSelfTest } from './selftest/run-self-test';
import { Panel } from './ui/Panel';
import type { PanelServices } from './ui/panel-services';
import { createPanelMenu, PANEL_MENU_ITEMS } from './ui/panel-menu';

/** The helper's loopback origin; the manifest's network permission names exactly this one. */
const HELPER_URL = `http://127.0.0.1:${DEFAULT_PORT}`;

const menu = createPanelMenu();

registerPanel('mend.panel', {
  mount(rootNode) {
    const services: PanelServices = {
      host: createPhotoshopHost(),
      tokens: createTokenStore(),
      connect: (token) => new HelperClient(HELPER_URL, token, (url) => new WebSocket(url) as unknown as SocketLike),
      runSelfTest: (deps, onCheck) => runSelfTest({ ...deps, scratch: createScratchHost() }, onCheck),
      reportFile: createReportDestinations(),
      menu,
    };
    createRoot(rootNode).render(<Panel services={services} />);
  },
  menuItems: PANEL_MENU_ITEMS,
  onMenuItem: (id) => menu.choose(id),
});
