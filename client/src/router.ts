import { createRouter, createWebHistory } from 'vue-router'
import StartPage from './pages/StartPage.vue'

/** The board page is loaded on demand: it pulls in Yjs, and the editor comes later still. */
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'start', component: StartPage, meta: { title: 'New review' } },
    {
      path: '/join/:code',
      name: 'join',
      component: () => import('./pages/JoinPage.vue'),
      meta: { title: 'Join a review' },
    },
    {
      path: '/back/:code',
      name: 'back',
      component: () => import('./pages/BackPage.vue'),
      meta: { title: 'Back to your review' },
    },
    {
      path: '/reviews',
      name: 'reviews',
      component: () => import('./pages/HomePage.vue'),
      meta: { title: 'Your reviews' },
    },
    {
      path: '/r/:reviewId',
      name: 'board',
      component: () => import('./pages/BoardPage.vue'),
      meta: { title: 'Review board' },
    },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
})

router.afterEach((to) => {
  document.title = `${String(to.meta.title ?? 'PR/FAQ Board')} · PR/FAQ Board`
})
