// Entry point of the explorer UI.
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { pickClient } from './client-source';
import { readable } from './errors';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
try {
  root.render(<App client={pickClient()} />);
} catch (e) {
  root.render(<div className="error banner" data-testid="open-error" role="alert">{readable(e)}</div>);
}
