import { Provider } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.service';
import { RentvineConnector } from './rentvine.connector';

/**
 * RentvineConnector with RENTVINE_API_URL (production default
 * https://{account}.rentvine.com/api/manager; `{account}` is replaced per connection).
 */
export const rentvineConnectorProvider: Provider = {
  provide: RentvineConnector,
  useFactory: (config: AppConfig) => new RentvineConnector({ baseUrl: config.get('RENTVINE_API_URL'), pageSize: config.get('RENTVINE_PAGE_SIZE') }),
  inject: [AppConfig],
};
