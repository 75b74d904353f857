// The scheme of the extension's read-only documents (compared runs, workflow definitions), in a
// module of its own so that activation can register it without loading the services bundle.
export const runDocumentScheme = 'workflow-run';
