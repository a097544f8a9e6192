import { LIMITS } from '@pulze/shared';
import { Select } from '../../../components/ui/select';

interface PaginationProps {
  page: number;
  pageSize: number;
  pageCount: number;
  totalCount: number;
  /** A search that matched more keys than the server counts: totalCount is then a lower bound. */
  totalCountIsCapped?: boolean;
  onPageChange: (page: number) => void;
  onPageSizeChange: (pageSize: number) => void;
}

export function Pagination({ page, pageSize, pageCount, totalCount, totalCountIsCapped = false, onPageChange, onPageSizeChange }: PaginationProps) {
  const first = totalCount === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(page * pageSize, totalCount);
  const lastPage = Math.max(1, pageCount);
  return (
    <nav className="pagination" aria-label="Pagination">
      <div className="pagination-size">
        <span id="page-size-label">Rows per page</span>
        <Select
          ariaLabelledBy="page-size-label"
          value={String(pageSize)}
          onValueChange={(value) => onPageSizeChange(Number(value))}
          options={LIMITS.pageSizeOptions.map((size) => ({ value: String(size), label: String(size) }))}
        />
      </div>
      <p className="pagination-range" aria-live="polite">
        {first}–{last} of {totalCountIsCapped ? `more than ${totalCount.toLocaleString('en-US')}` : totalCount}
      </p>
      <div className="pagination-buttons">
        <button type="button" className="icon-button" aria-label="First page" disabled={page <= 1} onClick={() => onPageChange(1)}>
          «
        </button>
        <button type="button" className="icon-button" aria-label="Previous page" disabled={page <= 1} onClick={() => onPageChange(page - 1)}>
          ‹
        </button>
        <span className="pagination-page">
          Page {page} of {lastPage}
        </span>
        <button type="button" className="icon-button" aria-label="Next page" disabled={page >= lastPage} onClick={() => onPageChange(page + 1)}>
          ›
        </button>
        <button type="button" className="icon-button" aria-label="Last page" disabled={page >= lastPage} onClick={() => onPageChange(lastPage)}>
          »
        </button>
      </div>
    </nav>
  );
}
