import { Route, Routes } from 'react-router';
import { RequireAuth } from './auth/AuthContext';
import { AppShell } from './components/AppShell';
import { MODULES } from './modules';
import { AccountPage } from './pages/AccountPage';
import { AuditPage } from './pages/AuditPage';
import { DashboardPage } from './pages/DashboardPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { PlaceholderPage } from './pages/PlaceholderPage';
import { RightsPage } from './pages/RightsPage';
import { ScanPage } from './pages/ScanPage';
import { SystemPage } from './pages/SystemPage';
import { EmployeeFormPage, EmployeesListPage } from './pages/resources/EmployeesPages';
import { InstrumentFormPage, InstrumentsListPage } from './pages/resources/InstrumentsPages';
import { MachineFormPage, MachinesListPage } from './pages/resources/MachinesPages';
import { UserFormPage } from './pages/users/UserFormPage';
import { UsersListPage } from './pages/users/UsersListPage';

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireAuth>
            <AppShell />
          </RequireAuth>
        }
      >
        <Route index element={<DashboardPage />} />
        <Route path="users" element={<UsersListPage />} />
        <Route path="users/:id" element={<UserFormPage />} />
        <Route path="machines" element={<MachinesListPage />} />
        <Route path="machines/:id" element={<MachineFormPage />} />
        <Route path="instruments" element={<InstrumentsListPage />} />
        <Route path="instruments/:id" element={<InstrumentFormPage />} />
        <Route path="employees" element={<EmployeesListPage />} />
        <Route path="employees/:id" element={<EmployeeFormPage />} />
        <Route path="hr" element={<EmployeesListPage />} />
        <Route path="rights" element={<RightsPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="system" element={<SystemPage />} />
        <Route path="scan" element={<ScanPage />} />
        <Route path="account" element={<AccountPage />} />
        {MODULES.filter((m) => !m.built).map((m) => (
          <Route key={m.code} path={`${m.code}/*`} element={<PlaceholderPage module={m} />} />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
