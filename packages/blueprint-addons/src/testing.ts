export { kubernetesObjectsOf, validateKubernetesObjects } from './kubernetesManifests.js';
export type {
  KubernetesValidationOptions,
  KubernetesValidationProblem,
  KubernetesValidationReport,
  TemplateKubernetesObject,
} from './kubernetesManifests.js';
