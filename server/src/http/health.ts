import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';

export const healthz = (_req: Request, res: Response) => {
  res.json({ status: 'ok' });
};

/** Ready when the database answers. */
export const readyz = (dataSource: DataSource) => async (_req: Request, res: Response) => {
  try {
    await dataSource.query('SELECT 1');
    res.json({ status: 'ready' });
  } catch {
    res.status(503).json({ status: 'unavailable', reason: 'database' });
  }
};
