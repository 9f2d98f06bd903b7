/**
 * The ho11y cdk8s chart: `import { Ho11yChart } from '@eks-o11y/ho11y/k8s'`. Needs the optional peer
 * dependencies `cdk8s`, `cdk8s-plus-33` and `constructs`; the server does not load this subpath.
 * @module
 */
export {
  Ho11yChart,
  HO11Y_APPS,
  HO11Y_CONTAINER_PORT,
  HO11Y_SERVICE_PORT,
  ADOT_POD_LABEL_REGEX,
  DEFAULT_DOWNSTREAMS,
  HO11Y_RUN_AS_USER,
} from './ho11y-chart.js';
export type { Ho11yChartProps, Ho11yResources, Ho11yApp } from './ho11y-chart.js';
