export { kubernetesObjectsOf, validateKubernetesObjects } from './kubernetes-manifests.js';
export type {
  CfnTemplate,
  KubernetesValidationOptions,
  KubernetesValidationProblem,
  KubernetesValidationReport,
  TemplateKubernetesObject,
} from './kubernetes-manifests.js';
