import { Provider } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.service';
import { BuildiumConnector } from './buildium.connector';

/** BuildiumConnector with BUILDIUM_API_URL (production default https://api.buildium.com). */
export const buildiumConnectorProvider: Provider = {
  provide: BuildiumConnector,
  useFactory: (config: AppConfig) => new BuildiumConnector({ baseUrl: config.get('BUILDIUM_API_URL'), pageSize: config.get('BUILDIUM_PAGE_SIZE') }),
  inject: [AppConfig],
};
