/**
 * Finds and validates the Kubernetes objects that an EKS stack applies through kubectl
 * (`Custom::AWSCDK-EKS-KubernetesResource`). Used by this package's tests and exported as
 * `@eks-o11y/blueprint-addons/testing` so users can check their own blueprints the same way.
 * Needs the optional peer dependency `kubernetes-models`.
 */
import { ObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';

/** One Kubernetes object found in a CloudFormation template. */
interface TemplateKubernetesObject {
  /** Logical id of the `Custom::AWSCDK-EKS-KubernetesResource` that applies it. */
  readonly logicalId: string;
  /** The object as kubectl receives it. */
  readonly object: Record<string, unknown>;
}

/** A schema violation, or an object that could not be checked. */
interface KubernetesValidationProblem {
  readonly logicalId: string;
  /** `apiVersion/kind name`, e.g. `apps/v1/Deployment ho11y/frontend`. */
  readonly object: string;
  readonly message: string;
}

/** Result of {@link validateKubernetesObjects}. */
interface KubernetesValidationReport {
  /** Objects validated against the full Kubernetes schema of their kind. */
  readonly validated: number;
  /**
   * Custom resources (allowed by `customResources`) whose metadata was validated; the rest of their
   * body has no schema in kubernetes-models.
   */
  readonly customResources: readonly string[];
  readonly problems: readonly KubernetesValidationProblem[];
}

/** Options of {@link validateKubernetesObjects}. */
interface KubernetesValidationOptions {
  /**
   * `apiVersion/kind` of custom resources the stack may apply, e.g. `opentelemetry.io/v1alpha1/OpenTelemetryCollector`.
   * Any other kind without a Kubernetes schema is reported as a problem.
   * @default []
   */
  readonly customResources?: readonly string[];
}

/** The part of a synthesized CloudFormation template these helpers read: its resources, by logical id. */
interface CfnTemplate {
  readonly Resources?: Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>;
}

/**
 * Every Kubernetes object applied by `Custom::AWSCDK-EKS-KubernetesResource` resources of a template
 * (the output of `Template.fromStack(stack).toJSON()` or a `*.template.json` file).
 * Throws if a manifest is not a JSON literal (it would then contain unresolved CloudFormation).
 */
function kubernetesObjectsOf(template: CfnTemplate): TemplateKubernetesObject[] {
  const found: TemplateKubernetesObject[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type !== 'Custom::AWSCDK-EKS-KubernetesResource') {
      continue;
    }
    const manifest = resource.Properties?.['Manifest'];
    const json = typeof manifest === 'string' ? manifest : joinLiteral(manifest);
    const parsed: unknown = JSON.parse(json);
    if (!Array.isArray(parsed)) {
      throw new Error(`${logicalId}: Manifest is not a JSON array of Kubernetes objects`);
    }
    for (const object of parsed as Record<string, unknown>[]) {
      found.push({ logicalId, object });
    }
  }
  return found;
}

/**
 * Manifests that mention stack values (an IAM role ARN, the region) are `Fn::Join`s; the values are
 * replaced by a placeholder string so the JSON can be parsed and the object's shape still checked.
 */
function joinLiteral(manifest: unknown): string {
  const join = (manifest as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  if (!join) {
    throw new Error(`Manifest is neither a string nor an Fn::Join: ${JSON.stringify(manifest)}`);
  }
  const [separator, parts] = join;
  return parts.map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(separator);
}

function describe(object: Record<string, unknown>): string {
  const meta = (object['metadata'] ?? {}) as { name?: string; namespace?: string };
  const name = meta.namespace ? `${meta.namespace}/${meta.name}` : String(meta.name);
  return `${String(object['apiVersion'])}/${String(object['kind'])} ${name}`;
}

async function loadModel(apiVersion: string, kind: string): Promise<(new (data: unknown) => { validate(): void }) | undefined> {
  // kubernetes-models publishes one module per kind: kubernetes-models/<group>/<version>/<Kind>.
  try {
    const module = (await import(/* @vite-ignore */ `kubernetes-models/${apiVersion}/${kind}`)) as Record<string, unknown>;
    return module[kind] as new (data: unknown) => { validate(): void };
  } catch {
    return undefined;
  }
}

/**
 * Validates every Kubernetes object of a template against the Kubernetes schemas (kubernetes-models).
 * Built-in kinds get the full schema; allowed custom resources get their `metadata` checked;
 * anything else is a problem.
 *
 * @example
 * ```ts
 * const report = await validateKubernetesObjects(Template.fromStack(stack).toJSON(), {
 *   customResources: ['opentelemetry.io/v1alpha1/OpenTelemetryCollector'],
 * });
 * expect(report.problems).toEqual([]);
 * ```
 */
async function validateKubernetesObjects(
  template: CfnTemplate,
  options: KubernetesValidationOptions = {},
): Promise<KubernetesValidationReport> {
  const allowedCustom = new Set(options.customResources ?? []);
  const problems: KubernetesValidationProblem[] = [];
  const customResources: string[] = [];
  let validated = 0;
  for (const { logicalId, object } of kubernetesObjectsOf(template)) {
    const apiVersion = String(object['apiVersion']);
    const kind = String(object['kind']);
    const Model = await loadModel(apiVersion, kind);
    try {
      if (Model) {
        new Model(object).validate();
        validated += 1;
      } else if (allowedCustom.has(`${apiVersion}/${kind}`)) {
        new ObjectMeta(object['metadata'] as never).validate();
        customResources.push(describe(object));
      } else {
        problems.push({
          logicalId,
          object: describe(object),
          message: `no Kubernetes schema for ${apiVersion}/${kind}; if it is a custom resource, allow it with customResources`,
        });
      }
    } catch (error) {
      problems.push({ logicalId, object: describe(object), message: (error as Error).message });
    }
  }
  return { validated, customResources, problems };
}

export { kubernetesObjectsOf, validateKubernetesObjects };
export type {
  CfnTemplate,
  KubernetesValidationOptions,
  KubernetesValidationProblem,
  KubernetesValidationReport,
  TemplateKubernetesObject,
};
