import { useState } from 'react';
import type { CompanySummary } from '../../shared/domain';
import type { ImportChoice, StagedFile } from '../../shared/import-desk';
import { ImportDialog } from './ImportDialog';
import { PartnerImportDialog } from './PartnerImportDialog';
import { PayrollImportDialog } from './PayrollImportDialog';

type Step =
  | { readonly kind: 'documents' }
  | { readonly kind: 'partners'; readonly file: StagedFile }
  | { readonly kind: 'payroll'; readonly files: readonly StagedFile[] };

function stepsOf(choice: ImportChoice): Step[] {
  return [
    ...(choice.items.length > 0 ? [{ kind: 'documents' } as const] : []),
    ...choice.partnerFiles.map((file) => ({ kind: 'partners', file }) as const),
    ...(choice.payrollFiles.length > 0 ? [{ kind: 'payroll', files: choice.payrollFiles } as const] : []),
  ];
}

/**
 * One import, one preview after another: the ISDOC/KSeF documents, then each partner list, then the
 * payroll PDFs together. `onDone` says whether anything was imported (the list reloads).
 */
export function ImportFlow(props: {
  readonly choice: ImportChoice;
  readonly companies: readonly CompanySummary[];
  /** The company the list is filtered to, else the first one. */
  readonly companyId: number | 'all';
  readonly returnFocus: { readonly current: HTMLElement | null };
  readonly onDone: (imported: boolean) => void;
}) {
  const [steps] = useState(() => stepsOf(props.choice));
  const [index, setIndex] = useState(0);
  const [imported, setImported] = useState(false);
  const step = steps[index];
  const next = (done: boolean) => {
    const any = imported || done;
    setImported(any);
    if (index + 1 >= steps.length) props.onDone(any);
    else setIndex(index + 1);
  };
  if (!step) return null;
  const companyId = props.companyId === 'all' ? (props.companies[0]?.id ?? 0) : props.companyId;
  switch (step.kind) {
    case 'documents':
      return <ImportDialog key={index} plan={props.choice} returnFocus={props.returnFocus} onClose={next} />;
    case 'partners':
      return (
        <PartnerImportDialog
          key={index}
          file={step.file}
          companies={props.companies}
          companyId={companyId}
          returnFocus={props.returnFocus}
          onClose={next}
        />
      );
    case 'payroll':
      return (
        <PayrollImportDialog
          key={index}
          files={step.files}
          companies={props.companies}
          companyId={companyId}
          returnFocus={props.returnFocus}
          onClose={next}
        />
      );
  }
}
