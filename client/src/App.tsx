import { Link, Route, Routes } from "react-router";
import { AuthProvider } from "./auth";
import { Layout } from "./components/Layout";
import { RequireAuth } from "./components/RequireAuth";
import { ConfigProvider, useConfig } from "./config";
import FilmPage from "./pages/FilmPage";
import Gallery from "./pages/Gallery";
import MyFilms from "./pages/MyFilms";
import NewFilm from "./pages/NewFilm";
import SignIn from "./pages/SignIn";

export function AppRoutes() {
  return (
    <Layout>
      <Routes>
        <Route path="/" element={<RequireAuth><NewFilm /></RequireAuth>} />
        <Route path="/films" element={<RequireAuth><MyFilms /></RequireAuth>} />
        <Route path="/films/:id" element={<RequireAuth><FilmPage /></RequireAuth>} />
        <Route path="/gallery" element={<Gallery />} />
        <Route path="/signin" element={<SignIn />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Layout>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p><Link to="/">Make a new film</Link> or <Link to="/gallery">visit the gallery</Link>.</p>
    </section>
  );
}

function WithAuth() {
  const config = useConfig();
  return <AuthProvider config={config}><AppRoutes /></AuthProvider>;
}

/** The whole app (inside a router): config first, then who is signed in, then the pages. */
export default function App() {
  return <ConfigProvider><WithAuth /></ConfigProvider>;
}
