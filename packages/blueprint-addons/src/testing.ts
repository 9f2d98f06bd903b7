export { kubernetesObjectsOf, validateKubernetesObjects } from './kubernetes-manifests.js';
export type {
  KubernetesValidationOptions,
  KubernetesValidationProblem,
  KubernetesValidationReport,
  TemplateKubernetesObject,
} from './kubernetes-manifests.js';
