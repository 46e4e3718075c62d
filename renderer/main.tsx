/**
 * Renderer entry. One bundle, several windows: `?window=` picks which one this page is.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App search={window.location.search} />
    </StrictMode>,
  );
}
