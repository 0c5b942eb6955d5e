import { GradeFormPage, LocationFormPage, LotFormPage, MaterialStockFormPage } from './pages/stock/StockFormsPages';
import { Route, Routes } from 'react-router';
import { AlertsPage } from './pages/alerts/AlertsPage';
import { RequireAuth, useMe } from './auth/AuthContext';
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
import { LocationsListPage, MaterialStockListPage, MaterialsListPage } from './pages/stock/MaterialsPages';
import { PurchaseRequestPage, PurchaseRequestsListPage } from './pages/stock/PurchaseRequestsPages';
import { ToolFormPage } from './pages/stock/ToolFormPage';
import { ToolsListPage } from './pages/stock/ToolsListPage';
import { EmployeeFormPage, EmployeesListPage } from './pages/resources/EmployeesPages';
import { InstrumentFormPage, InstrumentsListPage } from './pages/resources/InstrumentsPages';
import { MachineFormPage, MachinesListPage } from './pages/resources/MachinesPages';
import { UserFormPage } from './pages/users/UserFormPage';
import { UsersListPage } from './pages/users/UsersListPage';
import { PartnerFormPage } from './pages/crm/PartnerFormPage';
import { PartnersListPage } from './pages/crm/PartnersListPage';
import { RatesPage } from './pages/settings/RatesPage';
import { SetupGate, SetupWizardPage } from './pages/settings/SetupWizardPage';
import { ImportPage } from './pages/imports/ImportPage';
import { MaterialLotsListPage } from './pages/stock/MaterialLotsPage';
import { MaterialMinimumsPage } from './pages/stock/MaterialMinimumsPage';
import { ReservationsPage } from './pages/stock/ReservationsPage';
import { opensJobAsOperator } from './pages/shopfloor/jobScan';
import { lazy, Suspense, type ReactNode } from 'react';

// The quote screens (drawing review, estimate) are loaded on first use: they are big and only the
// sales office needs them.
const QuotesListPage = lazy(() => import('./pages/quotes/QuotesListPage').then((m) => ({ default: m.QuotesListPage })));
const QuotePage = lazy(() => import('./pages/quotes/QuotePages').then((m) => ({ default: m.QuotePage })));
const LineReviewPage = lazy(() => import('./pages/quotes/LineReviewPage').then((m) => ({ default: m.LineReviewPage })));
const QuotePricesPage = lazy(() => import('./pages/quotes/QuotePricesPage').then((m) => ({ default: m.QuotePricesPage })));
const OrdersListPage = lazy(() => import('./pages/orders/OrdersListPage').then((m) => ({ default: m.OrdersListPage })));
const OrderPage = lazy(() => import('./pages/orders/OrderPages').then((m) => ({ default: m.OrderPage })));
const PoImportPage = lazy(() => import('./pages/orders/PoImportPage').then((m) => ({ default: m.PoImportPage })));
const JobsListPage = lazy(() => import('./pages/jobs/JobsListPage').then((m) => ({ default: m.JobsListPage })));
const JobPage = lazy(() => import('./pages/jobs/JobPage').then((m) => ({ default: m.JobPage })));
const OperatorJobPage = lazy(() => import('./pages/shopfloor/OperatorJobPage').then((m) => ({ default: m.OperatorJobPage })));
const OperationPage = lazy(() => import('./pages/jobs/OperationPage').then((m) => ({ default: m.OperationPage })));
const TasksPage = lazy(() => import('./pages/shopfloor/TasksPage').then((m) => ({ default: m.TasksPage })));
const BoardPage = lazy(() => import('./pages/shopfloor/BoardPage').then((m) => ({ default: m.BoardPage })));
const ReasonsPage = lazy(() => import('./pages/shopfloor/ReasonsPage').then((m) => ({ default: m.ReasonsPage })));
const CommentsPage = lazy(() => import('./pages/shopfloor/CommentsPage').then((m) => ({ default: m.CommentsPage })));
const TimePage = lazy(() => import('./pages/time/TimePage').then((m) => ({ default: m.TimePage })));
const TimeRequestsPage = lazy(() => import('./pages/time/RequestsPage').then((m) => ({ default: m.RequestsPage })));
const PlanningPage = lazy(() => import('./pages/planning/PlanningPage').then((m) => ({ default: m.PlanningPage })));
const PlanningLoadPage = lazy(() => import('./pages/planning/LoadPage').then((m) => ({ default: m.LoadPage })));
const PlanningWorkingTimePage = lazy(() => import('./pages/planning/WorkingTimePage').then((m) => ({ default: m.WorkingTimePage })));
const PlanningSettingsPage = lazy(() => import('./pages/planning/SettingsPage').then((m) => ({ default: m.SettingsPage })));
const PlanningUnavailabilityPage = lazy(() => import('./pages/planning/UnavailabilityPage').then((m) => ({ default: m.UnavailabilityPage })));
const PlanningCalendarsPage = lazy(() => import('./pages/planning/CalendarsPage').then((m) => ({ default: m.CalendarsPage })));
const PlanningPrintPage = lazy(() => import('./pages/planning/PrintPage').then((m) => ({ default: m.PrintPage })));
const MethodSheetPage = lazy(() => import('./pages/method-sheets/MethodSheetPage').then((m) => ({ default: m.MethodSheetPage })));

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<div className="page muted" aria-busy="true" />}>{children}</Suspense>;
}

/**
 * /jobs/:id, also the URL of a traveler's header QR code: the job page for who may read the
 * routings; an operator is taken to his next operation of that job (pages/shopfloor/jobScan.ts).
 */
function JobRoute() {
  const me = useMe();
  return opensJobAsOperator(me) ? <OperatorJobPage /> : <JobPage />;
}

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
        <Route
          index
          element={
            <SetupGate>
              <DashboardPage />
            </SetupGate>
          }
        />
        <Route path="users" element={<UsersListPage />} />
        <Route path="users/:id" element={<UserFormPage />} />
        <Route path="tools" element={<ToolsListPage />} />
        <Route path="tools/:id" element={<ToolFormPage />} />
        <Route path="tool-purchase-requests" element={<PurchaseRequestsListPage />} />
        <Route path="tool-purchase-requests/:id" element={<PurchaseRequestPage />} />
        <Route path="locations" element={<LocationsListPage />} />
        <Route path="locations/:id" element={<LocationFormPage />} />
        <Route path="materials" element={<MaterialsListPage />} />
        <Route path="materials/:id" element={<GradeFormPage />} />
        <Route path="material-lots" element={<MaterialLotsListPage />} />
        <Route path="material-lots/:id" element={<LotFormPage />} />
        <Route path="material-minimums" element={<MaterialMinimumsPage />} />
        <Route path="reservations" element={<ReservationsPage />} />
        <Route path="material-stock" element={<MaterialStockListPage />} />
        <Route path="material-stock/:id" element={<MaterialStockFormPage />} />
        <Route path="machines" element={<MachinesListPage />} />
        <Route path="machines/:id" element={<MachineFormPage />} />
        <Route path="instruments" element={<InstrumentsListPage />} />
        <Route path="instruments/:id" element={<InstrumentFormPage />} />
        <Route path="employees" element={<EmployeesListPage />} />
        <Route path="employees/:id" element={<EmployeeFormPage />} />
        <Route path="hr" element={<EmployeesListPage />} />
        <Route path="alerts" element={<AlertsPage />} />
        <Route path="rights" element={<RightsPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="imports" element={<ImportPage />} />
        <Route path="system" element={<SystemPage />} />
        <Route path="scan" element={<ScanPage />} />
        <Route path="clients" element={<PartnersListPage key="clients" kind="clients" />} />
        <Route path="clients/:id" element={<PartnerFormPage kind="clients" />} />
        <Route path="suppliers" element={<PartnersListPage key="suppliers" kind="suppliers" />} />
        <Route path="suppliers/:id" element={<PartnerFormPage kind="suppliers" />} />
        <Route path="quotes" element={<Lazy><QuotesListPage /></Lazy>} />
        {/* Static, so ranked above quotes/:id ("prices" is never read as a quote id); listed first all the same. */}
        <Route path="quotes/prices" element={<Lazy><QuotePricesPage /></Lazy>} />
        <Route path="quotes/:id" element={<Lazy><QuotePage /></Lazy>} />
        <Route path="quotes/:id/lines/:lineId" element={<Lazy><LineReviewPage /></Lazy>} />
        <Route path="orders" element={<Lazy><OrdersListPage /></Lazy>} />
        <Route path="orders/import" element={<Lazy><PoImportPage /></Lazy>} />
        <Route path="orders/:id" element={<Lazy><OrderPage /></Lazy>} />
        <Route path="jobs" element={<Lazy><JobsListPage /></Lazy>} />
        <Route path="jobs/:id" element={<Lazy><JobRoute /></Lazy>} />
        <Route path="operations/:id" element={<Lazy><OperationPage /></Lazy>} />
        <Route path="shop-floor" element={<Lazy><TasksPage /></Lazy>} />
        <Route path="shop-floor/board" element={<Lazy><BoardPage /></Lazy>} />
        <Route path="shop-floor/reasons" element={<Lazy><ReasonsPage /></Lazy>} />
        <Route path="shop-floor/comments" element={<Lazy><CommentsPage /></Lazy>} />
        <Route path="time" element={<Lazy><TimePage /></Lazy>} />
        <Route path="time/requests" element={<Lazy><TimeRequestsPage /></Lazy>} />
        <Route path="method-sheets/:id" element={<Lazy><MethodSheetPage /></Lazy>} />
        <Route path="planning" element={<Lazy><PlanningPage /></Lazy>} />
        <Route path="planning/propositions/:id" element={<Lazy><PlanningPage /></Lazy>} />
        <Route path="planning/charge" element={<Lazy><PlanningLoadPage /></Lazy>} />
        <Route path="planning/temps-de-travail" element={<Lazy><PlanningWorkingTimePage /></Lazy>} />
        <Route path="planning/indisponibilites" element={<Lazy><PlanningUnavailabilityPage /></Lazy>} />
        <Route path="planning/calendriers" element={<Lazy><PlanningCalendarsPage /></Lazy>} />
        <Route path="planning/parametres" element={<Lazy><PlanningSettingsPage /></Lazy>} />
        <Route path="planning/imprimer" element={<Lazy><PlanningPrintPage /></Lazy>} />
        <Route path="rates" element={<RatesPage />} />
        <Route path="setup" element={<SetupWizardPage />} />
        <Route path="account" element={<AccountPage />} />
        {MODULES.filter((m) => !m.built).map((m) => (
          <Route key={m.code} path={`${m.code}/*`} element={<PlaceholderPage module={m} />} />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
